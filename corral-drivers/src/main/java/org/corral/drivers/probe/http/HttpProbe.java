package org.corral.drivers.probe.http;

import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.corral.drivers.probe.Probe;
import org.corral.drivers.probe.ProbeResult;
import org.corral.drivers.probe.net.ProbeTimeout;
import org.corral.drivers.uri.DriverUri;
import org.corral.model.InvalidInputException;

/**
 * {@code http://host:port/path?expect=200-399} and {@code https://...}: one GET (body discarded,
 * redirects not followed) that must answer with an expected status within the timeout. The
 * {@code expect} parameter is removed before sending; other query parameters are sent. HTTPS
 * trusts the JDK's default CA store. Thread-safe; one HttpClient per probe.
 */
public final class HttpProbe implements Probe, AutoCloseable {
  static final String EXAMPLE = "http://node1:8080/health?expect=200-399";

  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpClient client = HttpClient.newBuilder()
      .executor(threads)
      .followRedirects(HttpClient.Redirect.NEVER)
      .build();

  @Override
  public Set<String> schemes() {
    return Set.of("http", "https");
  }

  @Override
  public CompletionStage<ProbeResult> check(String targetUri, Duration timeout) {
    HttpRequest request;
    ExpectedStatus expected;
    try {
      DriverUri u = DriverUri.parse("probe.target", targetUri, EXAMPLE);
      if (!schemes().contains(u.scheme())) {
        throw new InvalidInputException("probe.target", "scheme '" + u.scheme() + "' is not http or https",
            "write it like " + EXAMPLE);
      }
      u.requireHost("probe");
      u.portOr(80);
      String e = u.param("expect");
      expected = e == null ? ExpectedStatus.DEFAULT : ExpectedStatus.parse("probe.target", e);
      ProbeTimeout.millis(timeout);
      request = HttpRequest.newBuilder(withoutExpect(targetUri)).timeout(timeout).GET()
          .header("User-Agent", "corral-probe").build();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    long start = System.nanoTime(); // real latency of a real request
    return client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS) // covers connect too
        .handle((response, failure) -> {
          Duration latency = ProbeTimeout.since(start);
          if (failure != null) {
            return ProbeResult.unhealthy(describe(failure, timeout), latency);
          }
          int status = response.statusCode();
          return expected.matches(status)
              ? ProbeResult.healthy("HTTP " + status, latency)
              : ProbeResult.unhealthy("HTTP " + status + " (expected " + expected.text() + ")", latency);
        });
  }

  // Rebuilt from the raw parts so that the remaining parameters keep their original encoding.
  private static URI withoutExpect(String targetUri) {
    URI u = URI.create(targetUri.strip());
    String q = u.getRawQuery();
    StringBuilder kept = new StringBuilder();
    if (q != null) {
      for (String pair : q.split("&")) {
        if (!pair.isEmpty() && !pair.equals("expect") && !pair.startsWith("expect=")) {
          kept.append(kept.isEmpty() ? "" : "&").append(pair);
        }
      }
    }
    String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
    try {
      return new URI(u.getScheme() + "://" + u.getRawAuthority() + path + (kept.isEmpty() ? "" : "?" + kept));
    } catch (URISyntaxException e) {
      throw new InvalidInputException("probe.target", "cannot rebuild '" + targetUri + "'", "check its encoding");
    }
  }

  private static String describe(Throwable failure, Duration timeout) {
    Throwable c = failure;
    while (c.getCause() != null && (c instanceof java.util.concurrent.CompletionException
        || c instanceof java.util.concurrent.ExecutionException)) {
      c = c.getCause();
    }
    for (Throwable t = c; t != null; t = t.getCause()) {
      if (t instanceof HttpTimeoutException || t instanceof TimeoutException) {
        return ProbeTimeout.timedOut(timeout);
      }
      if (t instanceof ConnectException) {
        return "connection refused";
      }
      if (t instanceof SSLException) {
        return "TLS failed: " + t.getMessage();
      }
    }
    return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
  }

  @Override
  public void close() {
    client.shutdownNow();
    threads.shutdownNow();
  }
}
