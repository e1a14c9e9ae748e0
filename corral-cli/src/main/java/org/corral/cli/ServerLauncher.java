package org.corral.cli;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Starts the Corral controller in this JVM and blocks until it stops. {@code corral up} calls
 * it; {@link Main} is given one explicitly (no lookup by class name).
 */
interface ServerLauncher {
  /**
   * Runs the controller until it is stopped.
   *
   * @param config      corral.yaml to load, or null for the built-in simulated lab
   * @param home        directory for the store, logs and state (created if missing)
   * @param listen      HOST:PORT for the REST API, e.g. 127.0.0.1:7070, or null for $CORRAL_LISTEN, else
   *                    api.listen of the configuration, else 127.0.0.1:7070
   * @param databaseUrl a PostgreSQL JDBC URL, or null for the embedded store under {@code home}
   * @return the process exit status (0 after a clean stop)
   * @throws Exception when the controller cannot start; a {@link org.corral.model.CorralException}
   *                   is shown to the user as an error, anything else as unexpected
   */
  int run(@Nullable Path config, Path home, @Nullable String listen, @Nullable String databaseUrl) throws Exception;
}
