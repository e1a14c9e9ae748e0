package org.corral.drivers.power.ipmi;

import java.util.List;
import java.util.Locale;
import org.corral.drivers.DriverException;
import org.corral.drivers.DriverException.Kind;

/**
 * Maps a failed ipmitool run (exit code and {@code -v} stderr) to a {@link DriverException}.
 * The phrases are ipmitool 1.8's; an unknown failure is TRANSIENT with ipmitool's last line.
 */
final class IpmitoolFailure {
  // Session set-up refused by the BMC: wrong password or user, or too little privilege.
  private static final List<String> AUTH_PHRASES = List.of(
      "rakp 2 hmac is invalid", "unauthorized name", "invalid user name", "activate session command failed",
      "insufficient privilege", "invalid password", "authentication type", "unauthorized");
  // No usable answer from the BMC at all.
  private static final List<String> UNREACHABLE_PHRASES = List.of(
      "get auth capabilities", "get channel authentication capabilities", "no response",
      "connection refused", "network is unreachable", "no route to host", "address lookup",
      "unable to establish");

  private IpmitoolFailure() {}

  /** @param command ipmitool's command words, e.g. {@code chassis power on} */
  static DriverException classify(String host, List<String> command, int exitCode, String stderr) {
    String lower = stderr.toLowerCase(Locale.ROOT);
    String what = "ipmitool " + String.join(" ", command) + " on BMC " + host;
    if (AUTH_PHRASES.stream().anyMatch(lower::contains)) {
      return new DriverException(Kind.AUTH, what + " was refused: wrong user, password or privilege ("
          + lastLine(stderr) + "); check the BMC user has ADMINISTRATOR privilege and the password source");
    }
    if (UNREACHABLE_PHRASES.stream().anyMatch(lower::contains)) {
      return new DriverException(Kind.UNREACHABLE, what + ": the BMC did not answer (" + lastLine(stderr)
          + "); check address, port 623/udp, and that IPMI over LAN is enabled");
    }
    return new DriverException(Kind.TRANSIENT, what + " failed with exit " + exitCode + ": " + lastLine(stderr));
  }

  /** The last non-blank line, which is ipmitool's summary of what failed. */
  static String lastLine(String text) {
    String[] lines = text.strip().split("\\R");
    for (int i = lines.length - 1; i >= 0; i--) {
      if (!lines[i].isBlank()) {
        return lines[i].strip();
      }
    }
    return "no output";
  }
}
