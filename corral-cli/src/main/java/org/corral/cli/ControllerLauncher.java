package org.corral.cli;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** The real {@link ServerLauncher}: the controller's boot class, in this JVM. */
final class ControllerLauncher implements ServerLauncher {
  @Override
  public int run(@Nullable Path config, Path home, @Nullable String listen, @Nullable String databaseUrl) throws Exception {
    return org.corral.controller.boot.CorralServer.run(config, home, listen, databaseUrl);
  }
}
