package org.corral.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.corral.model.time.Clock;

/** Runs the corral command in-process with captured output; the exit status, stdout and stderr. */
record Run(int code, String out, String err) {

  /** {@code corral args} through {@link Main#run}, against {@code api}, with times shown in UTC. */
  static Run corral(FakeCorral api, String... args) {
    return with(env(api), args);
  }

  static Run with(Map<String, String> env, String... args) {
    Capture c = new Capture();
    int code = Main.run(args, c.out, c.err, env);
    return c.result(code);
  }

  /** Through a {@link Main} with the given launcher and clock. */
  static Run with(Main main, Clock clock, Map<String, String> env, String... args) {
    Capture c = new Capture();
    int code = main.execute(args, c.out, c.err, env, clock);
    return c.result(code);
  }

  static Map<String, String> env(FakeCorral api) {
    Map<String, String> env = new HashMap<>();
    env.put("TZ", "UTC");
    if (api != null) {
      env.put("CORRAL_API", api.url());
    }
    return env;
  }

  private static final class Capture {
    final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    Run result(int code) {
      return new Run(code, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
    }
  }
}
