package org.corral.drivers.sim;

import org.corral.drivers.DriverException;
import org.jspecify.annotations.Nullable;

/** A parsed {@code sim://<dc>/<host>[#<domain>]}. */
record SimUri(String dc, String host, @Nullable String domain) {
  static final String SCHEME = "sim";

  static SimUri parse(String uri) {
    String prefix = SCHEME + "://";
    if (uri == null || !uri.startsWith(prefix)) {
      throw malformed(uri);
    }
    String rest = uri.substring(prefix.length());
    String domain = null;
    int hash = rest.indexOf('#');
    if (hash >= 0) {
      domain = rest.substring(hash + 1);
      rest = rest.substring(0, hash);
    }
    int slash = rest.indexOf('/');
    if (slash <= 0 || slash == rest.length() - 1 || rest.indexOf('/', slash + 1) >= 0) {
      throw malformed(uri);
    }
    return new SimUri(rest.substring(0, slash), rest.substring(slash + 1), domain);
  }

  private static DriverException malformed(String uri) {
    return new DriverException(DriverException.Kind.REJECTED,
        "'" + uri + "' is not a simulated host URI; write sim://<data centre>/<host>");
  }
}
