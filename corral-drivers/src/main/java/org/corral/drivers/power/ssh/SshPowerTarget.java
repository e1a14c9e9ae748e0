package org.corral.drivers.power.ssh;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.corral.drivers.ssh.SshEndpoint;
import org.corral.drivers.uri.DriverUri;
import org.corral.model.InvalidInputException;

/**
 * A host to switch off over SSH, parsed from
 * {@code ssh://root@node1:22?command=systemctl&command=poweroff&identity=/etc/corral/ssh/id_ecdsa}.
 * Each {@code command} parameter is one argument, in order (percent-encode spaces inside an
 * argument); without any, the command is {@code shutdown -h now}.
 */
record SshPowerTarget(SshEndpoint endpoint, List<String> command) {
  /** Run when the URI names no command. */
  public static final List<String> DEFAULT_COMMAND = List.of("shutdown", "-h", "now");
  /** Run by soft fencing ({@code power.soft}) when the URI names no command. */
  public static final List<String> RESTART_HYPERVISOR = List.of("systemctl", "restart", "libvirtd");
  static final String EXAMPLE = "ssh://root@node1:22?command=systemctl&command=poweroff";

  public SshPowerTarget {
    command = List.copyOf(command);
  }

  /** Parses an {@code ssh://} power URI; every problem names {@code field}. */
  public static SshPowerTarget parse(String field, String raw) {
    return parse(field, raw, DEFAULT_COMMAND);
  }

  /** Parses an {@code ssh://} URI whose command is {@code otherwise} when it names none. */
  public static SshPowerTarget parse(String field, String raw, List<String> otherwise) {
    Set<String> allowed = new HashSet<>(SshEndpoint.PARAMS);
    allowed.add("command");
    DriverUri u = DriverUri.parse(field, raw, EXAMPLE).allowOnly(allowed);
    if (!u.scheme().equals("ssh")) {
      throw new InvalidInputException(field, "scheme '" + u.scheme() + "' is not ssh", "write it like " + EXAMPLE);
    }
    List<String> command = u.params("command");
    if (command.size() == 1 && command.get(0).strip().contains(" ")) {
      // "command=shutdown -h now" would run a program literally named "shutdown -h now".
      throw new InvalidInputException(field, "command '" + command.get(0) + "' is one argument containing spaces",
          "give one command parameter per argument: ?command=shutdown&command=-h&command=now");
    }
    if (command.stream().anyMatch(String::isEmpty) && command.size() == 1) {
      throw new InvalidInputException(field, "command is empty", "remove it to run " + String.join(" ", otherwise) + ", or name a program");
    }
    return new SshPowerTarget(SshEndpoint.from(u, EXAMPLE), command.isEmpty() ? otherwise : command);
  }
}
