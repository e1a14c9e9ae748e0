package org.corral.drivers.power.ipmi;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.corral.drivers.DriverException;
import org.corral.drivers.DriverException.Kind;
import org.corral.drivers.power.PowerDriver;
import org.corral.drivers.power.PowerReading;
import org.corral.drivers.power.PowerStatus;
import org.corral.drivers.power.PowerTarget;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Power control through a BMC with {@code ipmitool} (scheme {@code ipmi}). Each call runs one
 * ipmitool process on a virtual thread and completes once the BMC accepted the command; it
 * never blocks the caller. Where the BMC supports DCMI, {@link #powerReading} reads the power the
 * host draws. Thread-safe; {@link #close()} stops accepting calls.
 *
 * <p>Failures: wrong user/password/privilege → AUTH; the BMC does not answer → UNREACHABLE;
 * ipmitool ran past the hard timeout → TIMEOUT; ipmitool not installed → UNSUPPORTED naming the
 * Debian package. A malformed URI fails the stage with an InvalidInputException naming the field.
 */
public final class IpmiPowerDriver implements PowerDriver, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IpmiPowerDriver.class);

  private final IpmiSettings settings;
  private final Function<String, String> environment;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

  /**
   * @param environment reads the Corral process's environment ({@code System::getenv} in
   *                    production) for targets with {@code passwordEnv}
   */
  public IpmiPowerDriver(IpmiSettings settings, Function<String, String> environment) {
    this.settings = settings;
    this.environment = environment;
  }

  /** ipmitool from PATH with default timeouts, passwords from the real environment. */
  public IpmiPowerDriver() {
    this(IpmiSettings.defaults(), System::getenv);
  }

  @Override
  public Set<String> schemes() {
    return Set.of("ipmi");
  }

  @Override
  public CompletionStage<Void> powerOn(PowerTarget target) {
    return chassis("power.on", target, ChassisCommand.ON).thenApply(r -> null);
  }

  @Override
  public CompletionStage<Void> powerOff(PowerTarget target, boolean hard) {
    return chassis("power.off", target, hard ? ChassisCommand.OFF : ChassisCommand.SOFT).thenApply(r -> null);
  }

  @Override
  public CompletionStage<Void> cycle(PowerTarget target) {
    return chassis("power.on", target, ChassisCommand.CYCLE).thenApply(r -> null);
  }

  @Override
  public CompletionStage<PowerStatus> status(PowerTarget target) {
    return chassis("power.on", target, ChassisCommand.STATUS).thenApply(r -> parseStatus(target, r));
  }

  /**
   * {@code ipmitool dcmi power reading}: the instantaneous figure, or NotReported when the BMC
   * refuses DCMI (ipmi_sim, older BMCs) or has power measurement deactivated. Fails like the other
   * calls when the BMC cannot be asked (UNREACHABLE, AUTH, TIMEOUT).
   */
  @Override
  public CompletionStage<PowerReading> powerReading(PowerTarget target) {
    return run("power.on", target, DcmiPowerReading.COMMAND, (t, r) -> {
      if (r.exitCode() != 0) {
        var refused = DcmiPowerReading.refusal(t.host(), r.stderr());
        if (refused.isPresent()) {
          return refused.get();
        }
        throw IpmitoolFailure.classify(t.host(), DcmiPowerReading.COMMAND, r.exitCode(), r.stderr());
      }
      return DcmiPowerReading.parse(t.host(), r.stdout());
    });
  }

  /**
   * The invocation a command would run, for inspection (tests check that no password is in it).
   * Reads the password from the environment for {@code passwordEnv} targets.
   */
  public IpmitoolInvocation invocation(String field, PowerTarget target, ChassisCommand command) {
    IpmiTarget t = IpmiTarget.parse(field, target.uri());
    return IpmitoolInvocation.of(settings.program(), t, command, settings.perTrySeconds(), settings.retries(),
        password(t));
  }

  private CompletableFuture<ProcessRun.Result> chassis(String field, PowerTarget target, ChassisCommand command) {
    return run(field, target, command.args(), (t, r) -> {
      if (r.exitCode() != 0) {
        throw IpmitoolFailure.classify(t.host(), command.args(), r.exitCode(), r.stderr());
      }
      return r;
    });
  }

  /** Runs ipmitool's {@code command} on a virtual thread; {@code onExit} turns its run into the answer. */
  private <T> CompletableFuture<T> run(String field, PowerTarget target, List<String> command,
      BiFunction<IpmiTarget, ProcessRun.Result, T> onExit) {
    IpmiTarget t;
    try {
      t = IpmiTarget.parse(field, target.uri());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    try {
      return CompletableFuture.supplyAsync(() -> onExit.apply(t, execute(t, command)), threads);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new DriverException(DriverException.Kind.REJECTED, "the IPMI driver is closed"));
    }
  }

  private ProcessRun.Result execute(IpmiTarget t, List<String> command) {
    IpmitoolInvocation inv = IpmitoolInvocation.of(settings.program(), t, command, settings.perTrySeconds(),
        settings.retries(), password(t));
    LOG.debug("running {}", inv.argv());
    try {
      return ProcessRun.run(inv.argv(), inv.environment(), List.of(IpmitoolInvocation.PASSWORD_VARIABLE),
          settings.hardTimeout());
    } catch (ProcessRun.TimedOut e) {
      throw new DriverException(Kind.TIMEOUT, "ipmitool " + String.join(" ", command) + " on BMC " + t.host()
          + " did not finish within " + settings.hardTimeout().toSeconds() + "s and was killed");
    } catch (IOException e) {
      throw new DriverException(Kind.UNSUPPORTED, "cannot run '" + settings.program() + "' (" + e.getMessage()
          + "); install the Debian package \"ipmitool\" (apt-get install ipmitool)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DriverException(Kind.TRANSIENT, "interrupted while running ipmitool");
    }
  }

  // Checked before each run: a missing password makes ipmitool prompt (and hang) instead of failing.
  // Null for a password file: ipmitool reads the file itself.
  private @Nullable String password(IpmiTarget t) {
    return switch (t.password()) {
      case PasswordSource.File f -> {
        if (!Files.isReadable(f.path())) {
          throw new DriverException(Kind.AUTH, "BMC password file " + f.path() + " for " + t.host()
              + " is missing or not readable; create it (one line, mode 0600, owned by the corral user)");
        }
        yield null;
      }
      case PasswordSource.Env e -> {
        String value = environment.apply(e.variable());
        if (value == null || value.isEmpty()) {
          throw new DriverException(Kind.AUTH, "environment variable " + e.variable()
              + " holding the BMC password for " + t.host() + " is not set in Corral's environment");
        }
        yield value;
      }
    };
  }

  private static PowerStatus parseStatus(PowerTarget target, ProcessRun.Result r) {
    String out = r.stdout().toLowerCase(java.util.Locale.ROOT);
    if (out.contains("chassis power is on")) {
      return PowerStatus.ON;
    }
    if (out.contains("chassis power is off")) {
      return PowerStatus.OFF;
    }
    throw new DriverException(Kind.TRANSIENT, "unexpected ipmitool status output for " + target.host() + ": "
        + IpmitoolFailure.lastLine(r.stdout()));
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
