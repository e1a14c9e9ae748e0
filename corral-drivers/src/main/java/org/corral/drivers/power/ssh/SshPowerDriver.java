package org.corral.drivers.power.ssh;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.corral.drivers.DriverException;
import org.corral.drivers.DriverException.Kind;
import org.corral.drivers.guest.ExecResult;
import org.corral.drivers.power.PowerDriver;
import org.corral.drivers.power.PowerStatus;
import org.corral.drivers.power.PowerTarget;
import org.corral.drivers.ssh.PosixQuoting;
import org.corral.drivers.ssh.SshConnector;
import org.corral.drivers.ssh.SshSettings;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Graceful power-off over SSH (scheme {@code ssh}): logs in with a key, checks the host key
 * against known_hosts, and runs {@code shutdown -h now} or the URI's command. Completes when
 * the command exited 0 (or the connection dropped under it, which a shutdown may cause). Soft
 * fencing ({@link #restartHypervisor}) runs {@code systemctl restart libvirtd} the same way.
 *
 * <ul>
 *   <li>{@code powerOn}, {@code cycle}: UNSUPPORTED (pair with {@code wol://} or {@code ipmi://}).
 *   <li>{@code powerOff(hard=true)}: UNSUPPORTED. SSH cannot cut power, and fencing must not
 *       report success on a hung host whose sshd happens to answer, or fail to answer.
 *   <li>{@code status}: always UNKNOWN. An SSH answer only shows sshd is up, and no answer may be a
 *       network fault; the executor judges power from the hypervisor connection instead.
 * </ul>
 * Thread-safe; one SSH client per instance, closed by {@link #close()}.
 */
public final class SshPowerDriver implements PowerDriver, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SshPowerDriver.class);

  private final SshConnector ssh;

  public SshPowerDriver(SshSettings settings) {
    this.ssh = new SshConnector(settings);
  }

  @Override
  public Set<String> schemes() {
    return Set.of("ssh");
  }

  @Override
  public CompletionStage<Void> powerOff(PowerTarget target, boolean hard) {
    if (hard) {
      return CompletableFuture.failedFuture(new DriverException(Kind.UNSUPPORTED, "SSH cannot cut the power of "
          + target.host() + " (hard power-off / fencing); use an ipmi:// power URI for that"));
    }
    SshPowerTarget t;
    try {
      t = SshPowerTarget.parse("power.off", target.uri());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    String commandLine = PosixQuoting.commandLine(t.command());
    Duration timeout = ssh.settings().connectTimeout().plus(ssh.settings().commandTimeout());
    return ssh.exec(t.endpoint(), commandLine, timeout)
        .exceptionally(e -> acceptDroppedConnection(target, e))
        .thenAccept(r -> {
          if (r != null && !r.ok()) {
            throw new DriverException(Kind.REJECTED, "power-off command on " + target.host() + " failed: exit "
                + r.exitCode() + ": " + firstLine(r.stderr()));
          }
        });
  }

  // A shutdown can kill sshd before the exit status is sent: the command was accepted.
  private static @Nullable ExecResult acceptDroppedConnection(PowerTarget target, Throwable e) {
    DriverException d = DriverException.of(e);
    if (d instanceof SshConnector.NoExitStatus) {
      LOG.info("power-off of {}: {}; taking it as accepted", target.host(), d.getMessage());
      return null;
    }
    throw d;
  }

  /**
   * Soft fencing: runs {@code systemctl restart libvirtd}, or the URI's command, and completes
   * when it exited 0. A non-zero exit is REJECTED with the first line of its error output.
   */
  @Override
  public CompletionStage<Void> restartHypervisor(PowerTarget target) {
    SshPowerTarget t;
    try {
      t = SshPowerTarget.parse("power.soft", target.uri(), SshPowerTarget.RESTART_HYPERVISOR);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    Duration timeout = ssh.settings().connectTimeout().plus(ssh.settings().commandTimeout());
    return ssh.exec(t.endpoint(), PosixQuoting.commandLine(t.command()), timeout).thenAccept(r -> {
      if (!r.ok()) {
        throw new DriverException(Kind.REJECTED, "restarting the hypervisor of " + target.host() + " failed: "
            + String.join(" ", t.command()) + " exited " + r.exitCode() + ": " + firstLine(r.stderr()));
      }
    });
  }

  static String firstLine(String s) {
    String t = s.strip();
    int nl = t.indexOf('\n');
    return t.isEmpty() ? "no error output" : nl < 0 ? t : t.substring(0, nl).strip();
  }

  @Override
  public CompletionStage<Void> powerOn(PowerTarget target) {
    return CompletableFuture.failedFuture(new DriverException(Kind.UNSUPPORTED, "SSH cannot switch on "
        + target.host() + "; set PowerSpec.on to a wol:// or ipmi:// URI"));
  }

  @Override
  public CompletionStage<Void> cycle(PowerTarget target) {
    return CompletableFuture.failedFuture(new DriverException(Kind.UNSUPPORTED, "SSH cannot power-cycle "
        + target.host() + "; use an ipmi:// power URI"));
  }

  /** Always UNKNOWN; see the class comment for why. */
  @Override
  public CompletionStage<PowerStatus> status(PowerTarget target) {
    return CompletableFuture.completedFuture(PowerStatus.UNKNOWN);
  }

  @Override
  public void close() {
    ssh.close();
  }
}
