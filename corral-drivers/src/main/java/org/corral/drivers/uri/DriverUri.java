package org.corral.drivers.uri;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.corral.model.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * A parsed driver target URI: {@code scheme://[user@]host[:port][/path][?name=value&...]}.
 * Query values are percent-decoded; a name may repeat (its values keep their order), which is how
 * argument lists are written ({@code ?command=shutdown&command=-h&command=now}).
 *
 * @param field   configuration field the URI came from, used in every error message
 * @param raw     the URI as written
 * @param scheme  lower-case scheme
 * @param user    user part, or null
 * @param host    host name or address without IPv6 brackets, or null
 * @param port    port, or -1 when absent
 * @param path    decoded path, "" when absent
 * @param query   decoded query parameters in order of appearance
 */
public record DriverUri(String field, String raw, String scheme, String user, String host, int port,
    String path, Map<String, List<String>> query) {

  public DriverUri {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    query.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    query = java.util.Collections.unmodifiableMap(copy);
  }

  /**
   * Parses {@code raw}; {@code example} is a well-formed URI quoted in the fix of any error.
   *
   * @throws InvalidInputException naming {@code field} when {@code raw} is not a URI or lacks a scheme
   */
  public static DriverUri parse(String field, String raw, String example) {
    if (raw == null || raw.isBlank()) {
      throw new InvalidInputException(field, "no URI given", "write it like " + example);
    }
    URI uri;
    try {
      uri = new URI(raw.strip());
    } catch (URISyntaxException e) {
      throw new InvalidInputException(field, InvalidInputException.quote(raw) + " is not a valid URI (" + e.getReason() + ")",
          "write it like " + example + " and percent-encode spaces and special characters");
    }
    if (uri.getScheme() == null || uri.isOpaque()) {
      throw new InvalidInputException(field, InvalidInputException.quote(raw) + " has no scheme://", "write it like " + example);
    }
    String host = uri.getHost();
    if (host != null && host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host == null && uri.getRawAuthority() != null) {
      // java.net.URI leaves host null for authorities it cannot parse (e.g. "node_1" or "host:abc").
      throw new InvalidInputException(field, "cannot read host and port from " + InvalidInputException.quote(uri.getRawAuthority()),
          "use [user@]host[:port] with a DNS name or IP address and a numeric port, e.g. " + example);
    }
    return new DriverUri(field, raw, uri.getScheme().toLowerCase(), uri.getUserInfo(), host, uri.getPort(),
        uri.getPath() == null ? "" : uri.getPath(), parseQuery(uri.getRawQuery()));
  }

  private static Map<String, List<String>> parseQuery(String rawQuery) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return out;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return out;
  }

  // A literal '+' stays a plus: these are URIs, not HTML form bodies.
  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** The host, or an error naming the field when there is none. */
  public String requireHost(String what) {
    if (host == null || host.isBlank()) {
      throw new InvalidInputException(field, "no " + what + " host in " + InvalidInputException.quote(raw),
          "put the host after " + scheme + "://, e.g. " + scheme + "://10.0.0.11");
    }
    return host;
  }

  /** The user, or an error naming the field when there is none. */
  public String requireUser(String example) {
    if (user == null || user.isBlank()) {
      throw new InvalidInputException(field, "no user in " + InvalidInputException.quote(raw), "put it before the host: " + example);
    }
    return user;
  }

  /** The port, {@code defaultPort} when absent. */
  public int portOr(int defaultPort) {
    if (port == -1) {
      return defaultPort;
    }
    if (port < 1 || port > 65535) {
      throw new InvalidInputException(field, "port " + port + " is out of range", "use a port from 1 to 65535");
    }
    return port;
  }

  /** The port; an error naming the field when absent. */
  public int requirePort(String example) {
    if (port == -1) {
      throw new InvalidInputException(field, "no port in " + InvalidInputException.quote(raw), "add one, e.g. " + example);
    }
    return portOr(port);
  }

  /** The single value of {@code name}, or null when absent; an error when given twice. */
  public @Nullable String param(String name) {
    List<String> values = query.get(name);
    if (values == null) {
      return null;
    }
    if (values.size() > 1) {
      throw new InvalidInputException(field, "query parameter " + InvalidInputException.quote(name) + " is given " + values.size() + " times",
          "give it once");
    }
    return values.get(0);
  }

  /** Every value of {@code name} in order (empty when absent). */
  public List<String> params(String name) {
    return List.copyOf(query.getOrDefault(name, List.of()));
  }

  /** An integer parameter within [min, max], {@code dflt} when absent. */
  public int intParam(String name, int dflt, int min, int max) {
    String v = param(name);
    if (v == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v.strip());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below with the allowed range
    }
    throw new InvalidInputException(field, name + "=" + InvalidInputException.quote(v) + " is not a whole number from " + min + " to " + max,
        "write e.g. " + name + "=" + dflt);
  }

  /** Rejects query parameters this driver does not know, so that typos are not silently ignored. */
  public DriverUri allowOnly(Set<String> names) {
    for (String n : query.keySet()) {
      if (!names.contains(n)) {
        throw new InvalidInputException(field, "unknown query parameter " + InvalidInputException.quote(n) + " for " + scheme + "://",
            names.isEmpty() ? "remove it" : "use only " + String.join(", ", new java.util.TreeSet<>(names)));
      }
    }
    return this;
  }
}
