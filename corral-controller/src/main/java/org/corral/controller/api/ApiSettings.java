package org.corral.controller.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.corral.model.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * Who may talk to the API over HTTP (docs/security.md): corral.yaml's {@code api} section.
 *
 * @param serverNames    host names besides localhost and IP addresses that the Host header may
 *                       carry (the names clients use to reach Corral); any other name is refused,
 *                       which defeats DNS rebinding
 * @param allowedOrigins origins ({@code https://dash.example:8443}) whose web pages may call the
 *                       API besides the API's own; every other Origin is refused
 * @param readTimeout    how long a connection may stay silent before it is closed
 * @param eventBacklog   journal entries an event-stream client may fall behind before it is
 *                       dropped (with a message saying where to resume)
 * @param metrics        who may read /metrics without a token
 * @param tls            the certificate and key to serve HTTPS with, or null for plain HTTP
 */
public record ApiSettings(List<String> serverNames, List<String> allowedOrigins, Duration readTimeout, int eventBacklog,
    MetricsAccess metrics, @Nullable Tls tls) {
  public static final ApiSettings DEFAULT = new ApiSettings(List.of(), List.of(), Duration.ofSeconds(30), 10_000,
      MetricsAccess.LOOPBACK, null);

  /** Who may read /metrics (api.metrics). */
  public enum MetricsAccess {
    /** Clients on the controller's own machine without a token (a local Prometheus); others need one. */
    LOOPBACK,
    /** Everyone needs a token. */
    TOKEN
  }

  /**
   * HTTPS (api.tls): PEM files, the certificate (its chain after it) and its unencrypted PKCS#8
   * private key ({@code BEGIN PRIVATE KEY}; RSA or EC), read when the API starts.
   */
  public record Tls(Path certificate, Path key) {}

  public ApiSettings {
    if (metrics == null) {
      throw new InvalidInputException("api.metrics", "is missing", "use loopback or token");
    }
    serverNames = serverNames.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
    allowedOrigins = allowedOrigins.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList();
    for (int i = 0; i < allowedOrigins.size(); i++) {
      if (!allowedOrigins.get(i).matches("https?://[a-z0-9.\\-\\[\\]:]+")) {
        throw new InvalidInputException("api.allowedOrigins[" + i + "]", InvalidInputException.quote(allowedOrigins.get(i))
            + " is not an origin", "write scheme://host[:port] with no path, e.g. https://dash.example:8443");
      }
    }
    for (int i = 0; i < serverNames.size(); i++) {
      if (!serverNames.get(i).matches("[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?")) {
        throw new InvalidInputException("api.serverNames[" + i + "]", InvalidInputException.quote(serverNames.get(i))
            + " is not a host name", "write the DNS name clients use, without port, e.g. corral.example.org");
      }
    }
    if (eventBacklog < 1 || eventBacklog > 1_000_000) {
      throw new InvalidInputException("api.eventBacklog", "must be 1 to 1000000, got " + eventBacklog,
          "10000 entries lets a client lag a few seconds at full rate");
    }
    if (readTimeout.isNegative() || readTimeout.isZero()) {
      throw new InvalidInputException("api.readTimeout", "must be positive", "e.g. 30s");
    }
  }
}
