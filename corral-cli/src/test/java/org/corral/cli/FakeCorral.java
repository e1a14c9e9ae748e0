package org.corral.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP server on a loopback port that answers as Corral's REST API would (docs/api.md),
 * from canned bodies. It stands in for the controller in these tests; every request is
 * recorded so that tests can check method, path, query and body.
 */
final class FakeCorral implements AutoCloseable {
  record Answer(int status, String contentType, String body) {}

  record Request(String method, String path, String query, String body, String accept) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, Deque<Answer>> answers = new HashMap<>();
  private final List<Request> requests = new ArrayList<>();

  private FakeCorral() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    // One thread per exchange, so that a held-open stream does not block other requests.
    server.setExecutor(executor);
    server.start();
  }

  static FakeCorral start() {
    try {
      return new FakeCorral();
    } catch (IOException e) {
      throw new IllegalStateException("cannot bind a loopback port", e);
    }
  }

  /** Base URL to give as --api / CORRAL_API. */
  String url() {
    return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
  }

  /**
   * Answers {@code method path} (path under /api/v1, query included when the request has one)
   * with {@code body}. Several answers for one key are given in turn; the last one repeats.
   */
  FakeCorral on(String method, String path, int status, String body) {
    return add(method, path, new Answer(status, status >= 400 ? "application/problem+json" : "application/json", body));
  }

  FakeCorral onStream(String path, String rawEventStream) {
    return add("GET", path, new Answer(200, "text/event-stream", rawEventStream));
  }

  private synchronized FakeCorral add(String method, String path, Answer a) {
    answers.computeIfAbsent(method + " " + path, k -> new ArrayDeque<>()).add(a);
    return this;
  }

  /**
   * Serves {@code path} as an event stream that sends {@code first}, then waits (at most 30 s)
   * for {@code gate} before sending {@code second} and closing: a test can check that the client
   * printed the first event while the stream was still open.
   */
  FakeCorral onLiveStream(String path, String first, CountDownLatch gate, String second) {
    server.createContext("/api/v1" + path, ex -> {
      synchronized (this) {
        requests.add(new Request(ex.getRequestMethod(), path, ex.getRequestURI().getRawQuery(), "",
            ex.getRequestHeaders().getFirst("Accept")));
      }
      ex.getResponseHeaders().set("Content-Type", "text/event-stream");
      ex.sendResponseHeaders(200, 0);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(first.getBytes(StandardCharsets.UTF_8));
        out.flush();
        if (gate.await(30, TimeUnit.SECONDS)) {
          out.write(second.getBytes(StandardCharsets.UTF_8));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.close();
    });
    return this;
  }

  synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  synchronized Request last() {
    if (requests.isEmpty()) {
      throw new AssertionError("expected a request to reach the fake Corral, none did");
    }
    return requests.getLast();
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getRawPath();
    String query = ex.getRequestURI().getRawQuery();
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String apiPath = path.startsWith("/api/v1") ? path.substring("/api/v1".length()) : path;
    Answer a;
    synchronized (this) {
      requests.add(new Request(ex.getRequestMethod(), apiPath, query, body, ex.getRequestHeaders().getFirst("Accept")));
      Deque<Answer> q = answers.get(ex.getRequestMethod() + " " + apiPath + (query == null ? "" : "?" + query));
      if (q == null) {
        a = new Answer(404, "application/problem+json",
            Fixtures.problem("not-found", 404, "the fake has no answer for " + ex.getRequestMethod() + " " + apiPath
                + (query == null ? "" : "?" + query), null));
      } else {
        a = q.size() > 1 ? q.poll() : q.peek();
      }
    }
    byte[] bytes = a.body() == null ? new byte[0] : a.body().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", a.contentType());
    if (bytes.length == 0) {
      ex.sendResponseHeaders(a.status(), -1);
    } else {
      ex.sendResponseHeaders(a.status(), "text/event-stream".equals(a.contentType()) ? 0 : bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
    ex.close();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
