package org.corral.controller.boot;

import java.nio.file.Path;

/**
 * `corral up` in a child JVM for {@link CorralServerTest}: the public entry point, with the real
 * System.out and the real shutdown hook, so the test can stop it with SIGTERM as Ctrl-C would.
 */
public final class CorralUpChild {
  private CorralUpChild() {}

  /** args: config file, home directory. */
  public static void main(String[] args) {
    System.exit(CorralServer.run(Path.of(args[0]), Path.of(args[1]), null, null));
  }
}
