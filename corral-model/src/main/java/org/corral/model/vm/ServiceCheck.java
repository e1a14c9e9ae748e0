package org.corral.model.vm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.corral.model.InvalidInputException;
import org.corral.model.Names;
import org.jspecify.annotations.Nullable;

/**
 * One service checked inside a VM (docs/high-availability.md, "Service checks").
 *
 * <ul>
 *   <li>{@link Kind#SCRIPT}: the study's contract. {@code command} run with no argument is the
 *       check (exit 0 = healthy); the same command with {@code start}, {@code stop} or
 *       {@code restart} does that.</li>
 *   <li>{@link Kind#NAGIOS}: a Nagios plugin; exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN, the
 *       first line of its output is the reason. It cannot restart anything: {@code restart}
 *       says how (an argument list run in the guest), or the escalation starts at the VM.</li>
 *   <li>{@link Kind#TCP}: a connection to {@code port} on the VM's address.</li>
 *   <li>{@link Kind#HTTP}: a GET of {@code path} on {@code port}; 2xx/3xx is healthy.</li>
 * </ul>
 * Every command is an argument list, never a shell string.
 *
 * @param name    unique within the VM, a Corral name
 * @param kind    how it is checked
 * @param command SCRIPT and NAGIOS: the argument list (program first); empty otherwise
 * @param restart how to restart it when {@code command} cannot (NAGIOS, TCP, HTTP); empty = no
 *                service restart, the escalation starts with the VM
 * @param port    TCP and HTTP: 1..65535; 0 otherwise
 * @param path    HTTP: the path asked for, "/" when not given; null otherwise
 * @param after   services of the same VM started before this one and whose restart restarts it
 */
public record ServiceCheck(String name, Kind kind, List<String> command, List<String> restart, int port,
    @Nullable String path, List<String> after) {

  /** How a service is checked. */
  public enum Kind { SCRIPT, NAGIOS, TCP, HTTP }

  /** Services per VM: a supervisor of a few daemons, not a monitoring system. */
  public static final int MAX_PER_VM = 16;
  /** Arguments of a command: enough for any plugin's options. */
  public static final int MAX_ARGS = 32;

  public ServiceCheck {
    command = copy(command);
    restart = copy(restart);
    after = copy(after);
    if (kind == Kind.HTTP && (path == null || path.isBlank())) {
      path = "/";
    }
  }

  private static List<String> copy(@Nullable List<String> l) {
    // Nulls kept (not List.copyOf) so that validate() names the empty entry.
    return l == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(l));
  }

  /** The study's script contract: {@code command} checks, {@code command start|stop|restart} acts. */
  public static ServiceCheck script(String name, List<String> command, List<String> after) {
    return new ServiceCheck(name, Kind.SCRIPT, command, List.of(), 0, null, after);
  }

  public static ServiceCheck nagios(String name, List<String> plugin, List<String> restart, List<String> after) {
    return new ServiceCheck(name, Kind.NAGIOS, plugin, restart, 0, null, after);
  }

  public static ServiceCheck tcp(String name, int port, List<String> restart, List<String> after) {
    return new ServiceCheck(name, Kind.TCP, List.of(), restart, port, null, after);
  }

  public static ServiceCheck http(String name, int port, String path, List<String> restart, List<String> after) {
    return new ServiceCheck(name, Kind.HTTP, List.of(), restart, port, path, after);
  }

  /** The argument list that checks it in the guest; empty for TCP and HTTP (checked from outside). */
  public List<String> checkArgv() {
    return kind == Kind.SCRIPT || kind == Kind.NAGIOS ? command : List.of();
  }

  /**
   * The argument list that does {@code verb} (start, stop, restart) in the guest: the script with
   * the verb as its argument, else {@code restart} for "restart"; empty when there is none.
   */
  public List<String> actionArgv(String verb) {
    if (kind == Kind.SCRIPT) {
      List<String> argv = new ArrayList<>(command);
      argv.add(verb);
      return List.copyOf(argv);
    }
    return "restart".equals(verb) ? restart : List.of();
  }

  /** True when the service itself can be restarted (else the escalation starts with the VM). */
  public boolean restartable() {
    return !actionArgv("restart").isEmpty();
  }

  /**
   * Checks this service alone; {@code field} is its path in the request, e.g.
   * {@code spec.services[0]}. Throws naming the field and the fix; returns this.
   */
  public ServiceCheck validate(String field) {
    Names.require(field + ".name", name);
    if (kind == null) {
      throw new InvalidInputException(field + ".kind", "is missing", "give one of script, nagios, tcp, http");
    }
    switch (kind) {
      case SCRIPT, NAGIOS -> {
        if (command.isEmpty()) {
          throw new InvalidInputException(field + ".command", "is empty",
              "give the program inside the VM and its arguments as a list, e.g. [\"/etc/corral/checks/web\"]");
        }
        if (port != 0) {
          throw new InvalidInputException(field + ".port", "is only used by tcp and http checks", "drop it");
        }
      }
      case TCP, HTTP -> {
        if (!command.isEmpty()) {
          throw new InvalidInputException(field + ".command", "is only used by script and nagios checks",
              "drop it; give the restart command as restart");
        }
        if (port < 1 || port > 65535) {
          throw new InvalidInputException(field + ".port", "must be between 1 and 65535, got " + port,
              "give the port the service listens on inside the VM, e.g. 80");
        }
      }
    }
    if (kind == Kind.SCRIPT && !restart.isEmpty()) {
      throw new InvalidInputException(field + ".restart", "is not used by a script check (it is restarted with its own 'restart' argument)",
          "drop it");
    }
    if (kind != Kind.HTTP && path != null) {
      throw new InvalidInputException(field + ".path", "is only used by http checks", "drop it");
    }
    if (path != null && !path.startsWith("/")) {
      throw new InvalidInputException(field + ".path", "must start with '/', got '" + path + "'", "e.g. /health");
    }
    args(field + ".command", command);
    args(field + ".restart", restart);
    for (int i = 0; i < after.size(); i++) {
      Names.require(field + ".after[" + i + "]", after.get(i));
      if (after.get(i).equals(name)) {
        throw new InvalidInputException(field + ".after[" + i + "]", "names the service itself", "drop it");
      }
    }
    return this;
  }

  private static void args(String field, List<String> argv) {
    if (argv.size() > MAX_ARGS) {
      throw new InvalidInputException(field, "has " + argv.size() + " arguments, more than " + MAX_ARGS, "put them in a script inside the VM");
    }
    for (int i = 0; i < argv.size(); i++) {
      String a = argv.get(i);
      if (a == null || (i == 0 && a.isBlank())) {
        throw new InvalidInputException(field + "[" + i + "]", "is empty", "give the program's path first, then its arguments");
      }
      if (a.indexOf('\0') >= 0) {
        throw new InvalidInputException(field + "[" + i + "]", "contains a NUL character", "remove it");
      }
    }
  }
}
