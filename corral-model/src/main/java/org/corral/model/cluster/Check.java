package org.corral.model.cluster;

import java.time.Duration;
import java.util.List;
import org.corral.model.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * A readiness check (a role is ready when every check passes on every member; dependent roles
 * wait for it) or a health check (a member failing it {@code failures} times in a row is replaced).
 *
 * @param port    TCP and HTTP: the member's port
 * @param path    HTTP: the path, starting with '/'
 * @param command EXEC and NAGIOS: the argument list run in the guest (templated like hooks)
 * @param supervisor a health check's process-supervisor preset ({@code zaragoza}, or {@code study}),
 *                   or null: failing {@code failures} times in a row replaces the member
 * @param restart    with a supervisor: the argument list that (re)starts the service in the guest
 *                   (templated like hooks); empty otherwise
 */
public record Check(CheckKind kind, int port, @Nullable String path, List<String> command, Duration timeout, Duration period,
    int failures, @Nullable String supervisor, List<String> restart) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(4);
  public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(30);

  public Check {
    command = command == null ? List.of() : List.copyOf(command);
    restart = restart == null ? List.of() : List.copyOf(restart);
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    period = period == null ? DEFAULT_PERIOD : period;
  }

  /** A check with no supervisor. */
  public Check(CheckKind kind, int port, @Nullable String path, List<String> command, Duration timeout, Duration period, int failures) {
    this(kind, port, path, command, timeout, period, failures, null, List.of());
  }

  void validate(String field, ClusterSpec spec) {
    switch (kind) {
      case TCP, HTTP -> {
        if (port < 1 || port > 65_535) {
          throw new InvalidInputException(field + ".port", "must be from 1 to 65535, got " + port, "give the port the service listens on, e.g. port: 80");
        }
        if (kind == CheckKind.HTTP && (path == null || !path.startsWith("/"))) {
          throw new InvalidInputException(field + ".path", "must start with '/', got " + InvalidInputException.quote(path), "e.g. path: /health");
        }
      }
      case EXEC, NAGIOS -> {
        if (command.isEmpty()) {
          throw new InvalidInputException(field + ".command", "is missing", "give the program and its arguments as a list, e.g. command: [pbsnodes, -l]");
        }
        Templates.check(field + ".command", command, spec);
      }
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new InvalidInputException(field + ".timeout", "must be positive", "e.g. timeout: 4s");
    }
    if (period.isNegative() || period.isZero()) {
      throw new InvalidInputException(field + ".period", "must be positive", "e.g. period: 30s");
    }
    if (failures < 1) {
      throw new InvalidInputException(field + ".failures", "must be at least 1, got " + failures, "e.g. failures: 3");
    }
    if (supervisor != null && restart.isEmpty()) {
      throw new InvalidInputException(field + ".restart", "is missing: a supervised service needs the command that starts it",
          "e.g. restart: [systemctl, restart, pbs_mom]");
    }
    if (supervisor == null && !restart.isEmpty()) {
      throw new InvalidInputException(field + ".restart", "is used only with a supervisor", "add supervisor: zaragoza, or drop restart");
    }
    Templates.check(field + ".restart", restart, spec);
  }
}
