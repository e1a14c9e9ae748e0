package org.corral.drivers.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.corral.drivers.DriverException;
import org.corral.drivers.DriverException.Kind;
import org.corral.drivers.hypervisor.HypervisorConnection;
import org.corral.model.time.VirtualClock;
import org.junit.jupiter.api.Test;

/**
 * Reconnection timing on a virtual clock. The connector here is a scripted function (a host that
 * fails a given number of times) because the point is the schedule, not libvirt;
 * {@link #realDriverRetriesAnUnreachableHostOnTheClock} runs the real driver.
 */
class ReconnectionTest {
  private final VirtualClock clock = new VirtualClock();
  private final ReconnectBackoff backoff = new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(8), 0, 1);
  private final List<java.time.Instant> attempts = new ArrayList<>();

  private CompletionStage<HypervisorConnection> failing(Kind kind) {
    attempts.add(clock.now());
    return CompletableFuture.failedFuture(new DriverException(kind, "down"));
  }

  @Test
  void retryableFailuresAreRetriedWithBackoffOnTheClockOnly() {
    var start = clock.now();
    CompletableFuture<HypervisorConnection> r =
        new Reconnection(u -> failing(Kind.UNREACHABLE), clock, backoff, "qemu+ssh://n1/system", 5).start().toCompletableFuture();
    assertThat(attempts).hasSize(1);
    clock.advance(Duration.ofMillis(999));
    assertThat(attempts).as("no attempt before the first delay").hasSize(1);
    clock.advance(Duration.ofMinutes(5));
    assertThat(attempts).hasSize(5);
    assertThat(attempts).containsExactly(start, start.plusSeconds(1), start.plusSeconds(3), start.plusSeconds(7),
        start.plusSeconds(15));
    assertThat(r).isCompletedExceptionally();
    assertThat(DriverException.of(r.handle((c, e) -> e).join()).kind()).isEqualTo(Kind.UNREACHABLE);
  }

  @Test
  void authFailureIsNotRetried() {
    CompletableFuture<HypervisorConnection> r =
        new Reconnection(u -> failing(Kind.AUTH), clock, backoff, "qemu+ssh://n1/system", 5).start().toCompletableFuture();
    clock.advance(Duration.ofMinutes(5));
    assertThat(attempts).hasSize(1);
    assertThat(r).isCompletedExceptionally();
  }

  @Test
  void succeedsOnTheAttemptThatWorks() {
    TestHosts.requireLibvirt();
    try (LibvirtDriver driver = TestHosts.driver()) {
      CompletableFuture<HypervisorConnection> r = new Reconnection(u -> attempts.isEmpty() ? failing(Kind.TRANSIENT)
          : driver.connect(u), clock, backoff, TestHosts.uri("host-b.xml"), 5).start().toCompletableFuture();
      clock.advance(Duration.ofSeconds(1));
      HypervisorConnection c = TestHosts.await(r);
      assertThat(c.isAlive()).isTrue();
      assertThat(attempts).as("one failed attempt, then success").hasSize(1);
      c.close();
    }
  }

  @Test
  void realDriverRetriesAnUnreachableHostOnTheClock() {
    TestHosts.requireLibvirt();
    try (LibvirtDriver driver = new LibvirtDriver(clock, backoff, Duration.ofSeconds(5), 5, 3)) {
      CompletableFuture<HypervisorConnection> r = driver.reconnect("qemu+tcp://127.0.0.1:1/system", 2).toCompletableFuture();
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> clock.queued() == 1);
      assertThat(r).as("waiting for the clock, not a thread").isNotDone();
      clock.advance(Duration.ofSeconds(1));
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(r::isDone);
      assertThat(DriverException.of(r.handle((c, e) -> e).join()).kind()).isEqualTo(Kind.UNREACHABLE);
    }
  }
}
