package org.corral.drivers.ssh;

import java.nio.file.Path;
import org.corral.drivers.uri.DriverUri;
import org.corral.model.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * Where and as whom to log in: parsed from the user, host and port of an {@code ssh://},
 * {@code exec+ssh://} URI and its {@code identity=} and {@code knownHosts=} parameters.
 *
 * @param identity   private key file, or null for the driver's default identities
 * @param knownHosts known_hosts file, or null for the driver's default
 */
public record SshEndpoint(String user, String host, int port, @Nullable Path identity, @Nullable Path knownHosts) {
  /** Query parameters this record reads; drivers allow them alongside their own. */
  public static final java.util.Set<String> PARAMS = java.util.Set.of("identity", "knownHosts");

  /** Reads user, host, port (22 by default), identity and knownHosts from {@code u}. */
  public static SshEndpoint from(DriverUri u, String example) {
    return new SshEndpoint(u.requireUser(example), u.requireHost("SSH"), u.portOr(22),
        path(u, "identity"), path(u, "knownHosts"));
  }

  private static @Nullable Path path(DriverUri u, String name) {
    String v = u.param(name);
    if (v == null) {
      return null;
    }
    if (!v.startsWith("/")) {
      throw new InvalidInputException(u.field(), name + "='" + v + "' is not an absolute path",
          "write e.g. " + name + "=/etc/corral/ssh/" + (name.equals("identity") ? "id_ecdsa" : "known_hosts"));
    }
    return Path.of(v);
  }

  /** {@code user@host:port}, for messages. */
  public String display() {
    return user + "@" + host + ":" + port;
  }
}
