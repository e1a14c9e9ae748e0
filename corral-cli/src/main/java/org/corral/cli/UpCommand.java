package org.corral.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.corral.cli.command.Session;
import org.corral.model.InvalidInputException;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code corral up}: resolves where the configuration, home and listen address come from, checks
 * them, and hands over to the {@link ServerLauncher}, which runs the controller until stopped.
 */
@Command(name = "up", description = {
    "Start Corral (controller, REST API and, without a corral.yaml, a simulated lab) in this terminal.",
    "Stop it with Ctrl-C."})
final class UpCommand implements Callable<Integer> {
  static final Path DEFAULT_CONFIG = Path.of("corral.yaml");
  static final Path DEFAULT_HOME = Path.of("var");
  private static final Pattern LISTEN = Pattern.compile("(.+):(\\d{1,5})");
  private static final int MAX_PORT = 65535;

  private final ServerLauncher launcher;
  private final Session session;

  @Spec
  CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE",
      description = "corral.yaml to load (default: ./corral.yaml if it exists, else the built-in simulated lab).")
  @Nullable Path config;

  @Option(names = "--home", paramLabel = "DIR", description = "Where Corral keeps its store and state (default: $CORRAL_HOME, else ./var).")
  @Nullable Path home;

  // No default here: an option default would always win over $CORRAL_LISTEN and api.listen.
  @Option(names = "--listen", paramLabel = "HOST:PORT",
      description = "Address of the REST API (default: $CORRAL_LISTEN, else api.listen of the configuration, else 127.0.0.1:7070).")
  @Nullable String listen;

  @Option(names = "--database", paramLabel = "JDBC_URL",
      description = "Keep the store in PostgreSQL, e.g. jdbc:postgresql://db/corral (default: embedded, under --home).")
  @Nullable String database;

  public UpCommand(ServerLauncher launcher, Session session) {
    this.launcher = launcher;
    this.session = session;
  }

  @Override
  public Integer call() throws Exception {
    checkListen();
    if (database != null && !database.startsWith("jdbc:")) {
      throw new ParameterException(spec.commandLine(),
          "--database: " + InvalidInputException.quote(database) + " is not a JDBC URL; give e.g. jdbc:postgresql://localhost/corral");
    }
    return launcher.run(configFile(), homeDir(), listen, database);
  }

  /** --config if given (it must exist), else ./corral.yaml if present, else null: the built-in lab. */
  @Nullable Path configFile() {
    if (config != null) {
      if (!Files.isRegularFile(config)) {
        throw new ParameterException(spec.commandLine(), "--config: no file '" + config + "'");
      }
      return config;
    }
    return Files.isRegularFile(DEFAULT_CONFIG) ? DEFAULT_CONFIG : null;
  }

  Path homeDir() {
    if (home != null) {
      return home;
    }
    String fromEnv = session.env("CORRAL_HOME");
    return fromEnv != null ? Path.of(fromEnv) : DEFAULT_HOME;
  }

  private void checkListen() {
    if (listen == null) {
      return;
    }
    Matcher m = LISTEN.matcher(listen);
    if (!m.matches() || Integer.parseInt(m.group(2)) > MAX_PORT) {
      throw new ParameterException(spec.commandLine(),
          "--listen: " + InvalidInputException.quote(listen) + " is not HOST:PORT with a port up to " + MAX_PORT + "; give e.g. 127.0.0.1:7070");
    }
  }
}
