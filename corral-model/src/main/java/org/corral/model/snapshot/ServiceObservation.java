package org.corral.model.snapshot;

import java.time.Instant;
import org.corral.model.vm.ServiceCheck;

/**
 * The last check of one service inside a VM: soft state, like the other observations, so that
 * the decision on it stays a pure function of the snapshot.
 *
 * @param vm      the VM's name
 * @param service the service's name within the VM
 * @param status  what the check said
 * @param reason  the first line of the check's output, or what went wrong running it
 * @param at      when the check answered
 */
public record ServiceObservation(String vm, String service, Status status, String reason, Instant at) {

  /** Nagios's four states; a script, a TCP or an HTTP check gives OK or CRITICAL. */
  public enum Status {
    OK, WARNING, CRITICAL, UNKNOWN;

    /** A failed check counts towards the escalation: CRITICAL, and UNKNOWN (the check itself could not tell). */
    public boolean failed() {
      return this == CRITICAL || this == UNKNOWN;
    }
  }

  /** Longest reason kept: one line of a plugin, not its whole output. */
  public static final int MAX_REASON = 200;

  public ServiceObservation {
    reason = firstLine(reason);
  }

  /**
   * What a check run in the guest says: a script's exit 0 is OK and anything else CRITICAL; a
   * Nagios plugin's 0, 1, 2, 3 are OK, WARNING, CRITICAL, UNKNOWN and any other code UNKNOWN.
   * The reason is the first line of stdout (else of stderr, else "exit N").
   */
  public static ServiceObservation ofExit(String vm, ServiceCheck check, int exitCode, String stdout, String stderr, Instant at) {
    Status status = switch (check.kind()) {
      case NAGIOS -> switch (exitCode) {
        case 0 -> Status.OK;
        case 1 -> Status.WARNING;
        case 2 -> Status.CRITICAL;
        default -> Status.UNKNOWN;
      };
      default -> exitCode == 0 ? Status.OK : Status.CRITICAL;
    };
    String line = firstLine(stdout);
    if (line.isEmpty()) {
      line = firstLine(stderr);
    }
    String reason = line.isEmpty() ? "exit " + exitCode : "exit " + exitCode + ": " + line;
    return new ServiceObservation(vm, check.name(), status, reason, at);
  }

  /** A check that could not be run (transport down, timeout): UNKNOWN with what went wrong. */
  public static ServiceObservation unreachable(String vm, ServiceCheck check, String why, Instant at) {
    return new ServiceObservation(vm, check.name(), Status.UNKNOWN, why, at);
  }

  static String firstLine(String s) {
    String t = s.strip();
    int nl = t.indexOf('\n');
    String line = (nl < 0 ? t : t.substring(0, nl)).strip();
    return line.length() > MAX_REASON ? line.substring(0, MAX_REASON) : line;
  }
}
