package org.corral.drivers.probe.ssh;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.corral.drivers.guest.ExecResult;
import org.corral.drivers.ssh.PosixQuoting;
import org.corral.drivers.ssh.SshConnector;

/**
 * Acts on a service through its script: runs {@code <script> start|stop|restart [args...]} over
 * SSH and returns the script's exit code and output; deciding what a failure means is the
 * caller's (the Guardian's escalation). Shares the SSH client of the {@link SshExecProbe} that
 * made it. Thread-safe.
 */
final class ServiceScript {
  /** What to ask the script to do. */
  public enum Verb {
    START("start"), STOP("stop"), RESTART("restart");

    private final String word;

    Verb(String word) {
      this.word = word;
    }

    /** The argument the script receives. */
    public String word() {
      return word;
    }
  }

  private final SshConnector ssh;

  ServiceScript(SshConnector ssh) {
    this.ssh = ssh;
  }

  /**
   * Runs the script with {@code verb}. Fails the stage with InvalidInputException for a malformed
   * URI and with DriverException when the host cannot be reached or the login is refused.
   */
  public CompletionStage<ExecResult> run(String targetUri, Verb verb, Duration timeout) {
    ScriptTarget t;
    try {
      t = ScriptTarget.parse("service.script", targetUri);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return ssh.exec(t.endpoint(), PosixQuoting.commandLine(t.argv(verb.word())), timeout);
  }

  public CompletionStage<ExecResult> start(String targetUri, Duration timeout) {
    return run(targetUri, Verb.START, timeout);
  }

  public CompletionStage<ExecResult> stop(String targetUri, Duration timeout) {
    return run(targetUri, Verb.STOP, timeout);
  }

  public CompletionStage<ExecResult> restart(String targetUri, Duration timeout) {
    return run(targetUri, Verb.RESTART, timeout);
  }
}
