package org.corral.controller.api;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.corral.model.InvalidInputException;

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
 */
public record ApiSettings(List<String> serverNames, List<String> allowedOrigins, Duration readTimeout, int eventBacklog) {
  public static final ApiSettings DEFAULT = new ApiSettings(List.of(), List.of(), Duration.ofSeconds(30), 10_000);

  public ApiSettings {
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
