package org.corral.drivers.probe.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.corral.drivers.probe.ProbeResult;
import org.corral.model.InvalidInputException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** TcpProbe against real sockets on 127.0.0.1. */
class TcpProbeTest {
  private final TcpProbe probe = new TcpProbe();
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    probe.close();
  }

  private ProbeResult check(String uri, Duration timeout) {
    return probe.check(uri, timeout).toCompletableFuture().join();
  }

  @Test
  void listeningPortIsHealthy() throws Exception {
    ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    open.add(server);
    ProbeResult r = check("tcp://127.0.0.1:" + server.getLocalPort(), Duration.ofSeconds(2));
    assertThat(r.healthy()).isTrue();
    assertThat(r.latency()).isPositive();
  }

  @Test
  void closedPortIsUnhealthyWithConnectionRefused() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    ProbeResult r = check("tcp://127.0.0.1:" + port, Duration.ofSeconds(2));
    assertThat(r.healthy()).isFalse();
    assertThat(r.detail()).isEqualTo("connection refused");
  }

  @Test
  void silentPortTimesOut() throws Exception {
    // A listener that never accepts: once its accept queue is full, Linux drops further SYNs,
    // so a connect gets no answer at all, as with a firewalled port.
    ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    open.add(server);
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    boolean full = false;
    for (int i = 0; i < 16 && !full; i++) {
      Socket s = new Socket();
      open.add(s);
      try {
        s.connect(address, 300);
      } catch (SocketTimeoutException e) {
        full = true;
      }
    }
    assertThat(full).as("the accept queue filled up").isTrue();
    ProbeResult r = check("tcp://127.0.0.1:" + server.getLocalPort(), Duration.ofMillis(300));
    assertThat(r.healthy()).isFalse();
    assertThat(r.detail()).isEqualTo("timed out after 300ms");
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp://127.0.0.1", "tcp://:22", "tcp://127.0.0.1:0", "udp://127.0.0.1:22", "127.0.0.1:22",
      "tcp://127.0.0.1:22?x=1"})
  void malformedTargetsFailTheStageNamingTheField(String uri) {
    Throwable t = catchThrowable(() -> probe.check(uri, Duration.ofSeconds(1)).toCompletableFuture().join());
    assertThat(t.getCause()).isInstanceOfSatisfying(InvalidInputException.class,
        e -> assertThat(e.field()).isEqualTo("probe.target"));
  }

  @Test
  void zeroTimeoutIsRejected() {
    Throwable t = catchThrowable(() -> probe.check("tcp://127.0.0.1:22", Duration.ZERO).toCompletableFuture().join());
    assertThat(t.getCause()).isInstanceOfSatisfying(InvalidInputException.class,
        e -> assertThat(e.field()).isEqualTo("probe.timeout"));
  }
}
