package org.corral.drivers.probe.ssh;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.corral.drivers.ssh.SshEndpoint;
import org.corral.drivers.uri.DriverUri;
import org.corral.model.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * A service script on a remote host, parsed from
 * {@code exec+ssh://root@node1:22/usr/local/lib/corral/check-db?args=main&identity=...}.
 * Each {@code args} parameter is one argument, in order; they follow the verb, if any.
 *
 * @param script absolute path of the script on the remote host
 * @param args   instance arguments
 */
record ScriptTarget(SshEndpoint endpoint, String script, List<String> args) {
  static final String EXAMPLE = "exec+ssh://root@node1:22/usr/local/lib/corral/check-db?args=main";

  public ScriptTarget {
    args = List.copyOf(args);
  }

  /** Parses an {@code exec+ssh://} URI; every problem names {@code field}. */
  public static ScriptTarget parse(String field, String raw) {
    Set<String> allowed = new HashSet<>(SshEndpoint.PARAMS);
    allowed.add("args");
    DriverUri u = DriverUri.parse(field, raw, EXAMPLE).allowOnly(allowed);
    if (!u.scheme().equals("exec+ssh")) {
      throw new InvalidInputException(field, "scheme '" + u.scheme() + "' is not exec+ssh", "write it like " + EXAMPLE);
    }
    SshEndpoint endpoint = SshEndpoint.from(u, EXAMPLE);
    if (u.path().isEmpty() || u.path().equals("/") || u.path().endsWith("/")) {
      throw new InvalidInputException(field, "no script path in '" + raw + "'",
          "put the script's absolute path after the host: " + EXAMPLE);
    }
    return new ScriptTarget(endpoint, u.path(), u.params("args"));
  }

  /** {@code script [verb] args...}: the argument list to run. */
  public List<String> argv(@Nullable String verb) {
    List<String> argv = new ArrayList<>();
    argv.add(script);
    if (verb != null) {
      argv.add(verb);
    }
    argv.addAll(args);
    return argv;
  }
}
