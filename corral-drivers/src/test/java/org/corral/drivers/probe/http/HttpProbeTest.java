package org.corral.drivers.probe.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.corral.drivers.probe.ProbeResult;
import org.corral.model.InvalidInputException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** HttpProbe against the JDK's HttpServer on 127.0.0.1. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpProbeTest {
  private final HttpProbe probe = new HttpProbe();
  private final CountDownLatch releaseSlow = new CountDownLatch(1);
  private final List<String> queries = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private String base;

  @BeforeAll
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/ok", ex -> {
      queries.add(String.valueOf(ex.getRequestURI().getRawQuery()));
      reply(ex, 200);
    });
    server.createContext("/down", ex -> reply(ex, 503));
    server.createContext("/moved", ex -> {
      ex.getResponseHeaders().add("Location", "/ok");
      reply(ex, 302);
    });
    server.createContext("/slow", ex -> {
      try {
        releaseSlow.await(); // answers only when the test is over
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      reply(ex, 200);
    });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private static void reply(HttpExchange ex, int status) throws IOException {
    ex.sendResponseHeaders(status, -1);
    ex.close();
  }

  @AfterAll
  void stop() {
    releaseSlow.countDown();
    probe.close();
    server.stop(0);
  }

  private ProbeResult check(String uri, Duration timeout) {
    return probe.check(uri, timeout).toCompletableFuture().join();
  }

  @Test
  void okIsHealthyAndExpectIsNotSent() {
    ProbeResult r = check(base + "/ok?probe=1&expect=200", Duration.ofSeconds(5));
    assertThat(r.healthy()).isTrue();
    assertThat(r.detail()).isEqualTo("HTTP 200");
    assertThat(queries).contains("probe=1");
  }

  @Test
  void serviceUnavailableIsUnhealthy() {
    ProbeResult r = check(base + "/down", Duration.ofSeconds(5));
    assertThat(r.healthy()).isFalse();
    assertThat(r.detail()).startsWith("HTTP 503");
  }

  @Test
  void redirectCountsByDefaultButNotWhenOnly200IsExpected() {
    assertThat(check(base + "/moved", Duration.ofSeconds(5)).healthy()).isTrue();
    ProbeResult strict = check(base + "/moved?expect=200", Duration.ofSeconds(5));
    assertThat(strict.healthy()).isFalse();
    assertThat(strict.detail()).isEqualTo("HTTP 302 (expected 200)");
  }

  @Test
  void expectedErrorStatusCanBeHealthy() {
    assertThat(check(base + "/down?expect=200-299,503", Duration.ofSeconds(5)).healthy()).isTrue();
  }

  @Test
  void slowServerTimesOut() {
    ProbeResult r = check(base + "/slow", Duration.ofMillis(500));
    assertThat(r.healthy()).isFalse();
    assertThat(r.detail()).isEqualTo("timed out after 500ms");
  }

  @Test
  void closedPortIsConnectionRefused() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    ProbeResult r = check("http://127.0.0.1:" + port + "/", Duration.ofSeconds(5));
    assertThat(r.healthy()).isFalse();
    assertThat(r.detail()).isEqualTo("connection refused");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1/x?expect=ok", "http://127.0.0.1/x?expect=600", "http:///x",
      "ftp://127.0.0.1/", "http://127.0.0.1/x?expect=399-200"})
  void malformedTargetsFailTheStage(String uri) {
    Throwable t = catchThrowable(() -> probe.check(uri, Duration.ofSeconds(1)).toCompletableFuture().join());
    assertThat(t.getCause()).isInstanceOfSatisfying(InvalidInputException.class,
        e -> assertThat(e.field()).isEqualTo("probe.target"));
  }
}
