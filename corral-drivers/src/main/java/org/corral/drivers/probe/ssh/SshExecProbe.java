package org.corral.drivers.probe.ssh;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.corral.drivers.DriverException;
import org.corral.drivers.guest.ExecResult;
import org.corral.drivers.probe.Probe;
import org.corral.drivers.probe.ProbeResult;
import org.corral.drivers.probe.net.ProbeTimeout;
import org.corral.drivers.ssh.PosixQuoting;
import org.corral.drivers.ssh.SshConnector;
import org.corral.drivers.ssh.SshSettings;

/**
 * {@code exec+ssh://user@host:port/path/to/script?args=...}: runs the script with no verb over
 * SSH; exit 0 is healthy. A non-zero exit is unhealthy with detail {@code "exit 3: <first line of
 * stderr>"}; connection, login and timeout problems are unhealthy with the reason. Only a
 * malformed URI fails the stage. {@link #scripts()} acts on the same scripts (start, stop,
 * restart) with the same SSH client. Thread-safe; {@link #close()} closes the client.
 */
public final class SshExecProbe implements Probe, AutoCloseable {
  private final SshConnector ssh;
  private final ServiceScript scripts;

  public SshExecProbe(SshSettings settings) {
    this.ssh = new SshConnector(settings);
    this.scripts = new ServiceScript(ssh);
  }

  @Override
  public Set<String> schemes() {
    return Set.of("exec+ssh");
  }

  /** Start, stop and restart for the same {@code exec+ssh://} targets. */
  public ServiceScript scripts() {
    return scripts;
  }

  @Override
  public CompletionStage<ProbeResult> check(String targetUri, Duration timeout) {
    ScriptTarget t;
    try {
      t = ScriptTarget.parse("probe.target", targetUri);
      ProbeTimeout.millis(timeout);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    long start = System.nanoTime(); // real latency of a real remote command
    return ssh.exec(t.endpoint(), PosixQuoting.commandLine(t.argv(null)), timeout)
        .handle((r, failure) -> failure != null
            ? ProbeResult.unhealthy(String.valueOf(DriverException.of(failure).getMessage()), ProbeTimeout.since(start))
            : judge(r, ProbeTimeout.since(start)));
  }

  private static ProbeResult judge(ExecResult r, Duration latency) {
    if (r.ok()) {
      return ProbeResult.healthy("exit 0", latency);
    }
    String why = firstLine(r.stderr());
    if (why.isEmpty()) {
      why = firstLine(r.stdout());
    }
    return ProbeResult.unhealthy("exit " + r.exitCode() + (why.isEmpty() ? "" : ": " + why), latency);
  }

  private static String firstLine(String s) {
    String t = s.strip();
    int nl = t.indexOf('\n');
    return nl < 0 ? t : t.substring(0, nl).strip();
  }

  @Override
  public void close() {
    ssh.close();
  }
}
