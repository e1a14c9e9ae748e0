package org.corral.drivers.power.ipmi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One ipmitool run: its argument list and the extra environment of the child. The argument list
 * is safe to log; the environment may hold the password and is never logged.
 */
record IpmitoolInvocation(List<String> argv, Map<String, String> environment) {

  /** The environment variable {@code ipmitool -E} reads. */
  public static final String PASSWORD_VARIABLE = "IPMI_PASSWORD";

  public IpmitoolInvocation {
    argv = List.copyOf(argv);
    environment = Map.copyOf(environment);
  }

  @Override
  public String toString() {
    return "IpmitoolInvocation" + argv; // never the environment
  }

  /** Builds the run of {@code chassis power <command>} against {@code target}; see {@link #of(String, IpmiTarget, List, int, int, String)}. */
  public static IpmitoolInvocation of(String program, IpmiTarget target, ChassisCommand command,
      int perTrySeconds, int retries, @Nullable String password) {
    return of(program, target, command.args(), perTrySeconds, retries, password);
  }

  /**
   * Builds the run of ipmitool's {@code command} (e.g. {@code chassis power on}, {@code dcmi power
   * reading}) against {@code target}.
   *
   * @param program       path or name of ipmitool
   * @param perTrySeconds ipmitool's own per-attempt timeout ({@code -N})
   * @param retries       ipmitool's own retries ({@code -R})
   * @param password      the password when the target reads it from the environment, else null
   */
  public static IpmitoolInvocation of(String program, IpmiTarget target, List<String> command,
      int perTrySeconds, int retries, @Nullable String password) {
    List<String> argv = new ArrayList<>(List.of(program, "-I", target.iface().flag()));
    if (target.cipher() != null) {
      argv.addAll(List.of("-C", Integer.toString(target.cipher())));
    }
    argv.addAll(List.of("-H", target.host(), "-p", Integer.toString(target.port()), "-U", target.user()));
    Map<String, String> env = Map.of();
    switch (target.password()) {
      case PasswordSource.File f -> argv.addAll(List.of("-f", f.path().toString()));
      case PasswordSource.Env e -> {
        argv.add("-E");
        env = Map.of(PASSWORD_VARIABLE, Objects.requireNonNull(password, "a passwordEnv target needs the password"));
      }
    }
    // -v makes ipmitool say *why* a session failed (bad HMAC vs. no answer), which maps to AUTH vs. UNREACHABLE.
    argv.addAll(List.of("-N", Integer.toString(perTrySeconds), "-R", Integer.toString(retries), "-v"));
    argv.addAll(command);
    return new IpmitoolInvocation(argv, env);
  }
}
