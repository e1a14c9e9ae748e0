package org.corral.drivers.power.ipmi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a program from an argument list with a hard deadline, capturing stdout and stderr. Stdin is
 * closed at once so that a program which falls back to prompting (ipmitool asks for a password when
 * its password file is unreadable) fails instead of waiting forever. Blocking: call it on a virtual
 * thread.
 */
final class ProcessRun {
  /** The outcome of a finished run. */
  record Result(int exitCode, String stdout, String stderr) {}

  /** The deadline passed; the process was killed. */
  static final class TimedOut extends Exception {
    TimedOut() {
      super(null, null, false, false);
    }
  }

  private ProcessRun() {}

  /**
   * @throws IOException when the program cannot be started (typically: not installed)
   * @throws TimedOut    when it ran longer than {@code timeout}; it is killed with destroyForcibly
   */
  static Result run(List<String> argv, Map<String, String> extraEnv, List<String> removeEnv, Duration timeout)
      throws IOException, TimedOut, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(argv);
    removeEnv.forEach(pb.environment()::remove);
    pb.environment().putAll(extraEnv);
    Process p = pb.start();
    try {
      p.getOutputStream().close();
      CompletableFuture<String> out = drain(p.getInputStream());
      CompletableFuture<String> err = drain(p.getErrorStream());
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new TimedOut();
      }
      return new Result(p.exitValue(), collected(out), collected(err));
    } finally {
      if (p.isAlive()) {
        p.destroyForcibly();
      }
    }
  }

  // A grandchild that inherited the pipes could keep them open after the program exits; do not wait on it.
  private static String collected(CompletableFuture<String> f) throws InterruptedException {
    try {
      return f.get(2, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      return "";
    }
  }

  private static CompletableFuture<String> drain(InputStream in) {
    CompletableFuture<String> f = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> {
      try (in) {
        f.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        f.complete(""); // the stream closes when the process is killed; output so far is moot then
      }
    });
    return f;
  }
}
