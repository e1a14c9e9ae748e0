package org.corral.drivers.guest.ssh;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.corral.drivers.guest.ExecResult;
import org.corral.drivers.guest.GuestExec;
import org.corral.drivers.ssh.PosixQuoting;
import org.corral.drivers.ssh.SshConnector;
import org.corral.drivers.ssh.SshEndpoint;
import org.corral.drivers.ssh.SshSettings;
import org.corral.drivers.uri.DriverUri;
import org.corral.model.InvalidInputException;

/**
 * Guest exec over SSH (scheme {@code ssh}: {@code ssh://root@10.0.0.5:22?identity=...&knownHosts=...}).
 * The argument list is quoted for the guest's POSIX login shell, so each argument arrives as
 * given. A non-zero exit is a normal result; connection, host-key, authentication and timeout
 * problems fail the stage with a DriverException. Thread-safe; closes its SSH client on {@link #close()}.
 */
public final class SshGuestExec implements GuestExec, AutoCloseable {
  static final String EXAMPLE = "ssh://root@10.0.0.5:22";

  private final SshConnector ssh;

  public SshGuestExec(SshSettings settings) {
    this.ssh = new SshConnector(settings);
  }

  @Override
  public Set<String> schemes() {
    return Set.of("ssh");
  }

  @Override
  public CompletionStage<ExecResult> exec(String targetUri, List<String> argv, Duration timeout) {
    SshEndpoint endpoint;
    String commandLine;
    try {
      DriverUri u = DriverUri.parse("guest.uri", targetUri, EXAMPLE).allowOnly(SshEndpoint.PARAMS);
      if (!u.scheme().equals("ssh")) {
        throw new InvalidInputException("guest.uri", "scheme '" + u.scheme() + "' is not ssh", "write it like " + EXAMPLE);
      }
      endpoint = SshEndpoint.from(u, EXAMPLE);
      if (argv == null || argv.isEmpty()) {
        throw new InvalidInputException("guest.argv", "no command given", "pass the program and its arguments");
      }
      commandLine = commandLine(argv);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return ssh.exec(endpoint, commandLine, timeout);
  }

  private static String commandLine(List<String> argv) {
    try {
      return PosixQuoting.commandLine(argv);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("guest.argv", String.valueOf(e.getMessage()), "remove NUL bytes from the arguments");
    }
  }

  @Override
  public void close() {
    ssh.close();
  }
}
