package org.corral.drivers.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Defaults for SSH targets that do not name their own files.
 *
 * @param identities     private keys tried, in order, when a target has no {@code identity=}
 *                       (missing files are skipped)
 * @param knownHosts     known_hosts file used when a target has no {@code knownHosts=}
 * @param connectTimeout bound on TCP connect, key exchange and authentication together, for calls
 *                       whose own timeout is longer (power-off)
 * @param commandTimeout bound on a power-off command once it runs
 */
public record SshSettings(List<Path> identities, Path knownHosts, Duration connectTimeout, Duration commandTimeout) {
  public SshSettings {
    identities = List.copyOf(identities);
  }

  /** The OpenSSH client's defaults under {@code home}: ~/.ssh/id_ecdsa, id_rsa, id_ed25519, known_hosts. */
  public static SshSettings under(Path home) {
    Path ssh = home.resolve(".ssh");
    return new SshSettings(List.of(ssh.resolve("id_ecdsa"), ssh.resolve("id_rsa"), ssh.resolve("id_ed25519")),
        ssh.resolve("known_hosts"), Duration.ofSeconds(10), Duration.ofSeconds(30));
  }

  /** {@link #under} the home directory of the user running Corral. */
  public static SshSettings defaults() {
    return under(Path.of(System.getProperty("user.home")));
  }
}
