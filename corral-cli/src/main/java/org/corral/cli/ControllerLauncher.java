package org.corral.cli;

import java.nio.file.Path;

/** The real {@link ServerLauncher}: the controller's boot class, in this JVM. */
final class ControllerLauncher implements ServerLauncher {
  @Override
  public int run(Path config, Path home, String listen, String databaseUrl) throws Exception {
    return org.corral.controller.boot.CorralServer.run(config, home, listen, databaseUrl);
  }
}
