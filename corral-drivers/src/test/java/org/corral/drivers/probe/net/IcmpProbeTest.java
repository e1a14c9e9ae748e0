package org.corral.drivers.probe.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import org.corral.drivers.probe.ProbeResult;
import org.corral.model.InvalidInputException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * IcmpProbe on loopback. As root the JDK sends a real ICMP echo; otherwise it falls back to TCP
 * port 7, where loopback's refusal still proves the host is up: either way 127.0.0.1 is reachable.
 */
class IcmpProbeTest {
  private final IcmpProbe probe = new IcmpProbe();

  @AfterEach
  void close() {
    probe.close();
  }

  @Test
  void loopbackIsReachable() {
    ProbeResult r = probe.check("icmp://127.0.0.1", Duration.ofSeconds(2)).toCompletableFuture().join();
    assertThat(r.healthy()).as(r.detail()).isTrue();
  }

  @Test
  void unknownHostIsUnhealthyNotAFailure() {
    ProbeResult r = probe.check("icmp://no-such-host.invalid", Duration.ofSeconds(2)).toCompletableFuture().join();
    assertThat(r.healthy()).isFalse();
    assertThat(r.detail()).isEqualTo("unknown host no-such-host.invalid");
  }

  @Test
  void portIsRejectedWithAPointerToTcp() {
    Throwable t = catchThrowable(() -> probe.check("icmp://127.0.0.1:22", Duration.ofSeconds(1)).toCompletableFuture().join());
    assertThat(t.getCause()).isInstanceOf(InvalidInputException.class).hasMessageContaining("tcp://");
  }
}
