package org.corral.cli;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;
import org.corral.cli.command.Session;
import org.corral.model.time.Clock;
import org.corral.model.time.SystemClock;
import picocli.CommandLine;

/**
 * Entry point of the {@code corral} command. {@link #run} is the whole program without
 * {@code System.exit}, for tests; {@link #execute} also takes the clock that paces --wait.
 */
public final class Main {
  private final ServerLauncher launcher;

  /** The launcher is what {@code corral up} starts; the only other thing main() needs to know. */
  public Main(ServerLauncher launcher) {
    this.launcher = launcher;
  }

  public static void main(String[] args) {
    System.exit(new Main(new ControllerLauncher()).execute(args, System.out, System.err, System.getenv()));
  }

  /** Runs {@code corral args} and returns its exit status; prints only to {@code out} and {@code err}. */
  public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    return new Main(new ControllerLauncher()).execute(args, out, err, env);
  }

  /** Runs with the wall clock (its timer thread exists only while --wait pauses). */
  public int execute(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    try (SystemClock clock = new SystemClock("corral-wait")) {
      return execute(args, out, err, env, clock);
    }
  }

  /** Runs with {@code clock} pacing --wait: tests pass a virtual one. */
  public int execute(String[] args, PrintStream out, PrintStream err, Map<String, String> env, Clock clock) {
    CorralCommand root = new CorralCommand();
    try (Session session = new Session(out, err, env, clock, root)) {
      CommandLine cl = CommandTree.build(root, session, launcher, args);
      cl.setOut(writer(out));
      cl.setErr(writer(err));
      int code = cl.execute(args);
      out.flush();
      err.flush();
      return code;
    }
  }

  private static PrintWriter writer(PrintStream stream) {
    return new PrintWriter(new OutputStreamWriter(stream, stream.charset()), true);
  }
}
