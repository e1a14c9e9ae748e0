package org.corral.drivers.guest.agent;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.corral.drivers.DriverException;
import org.corral.drivers.DriverException.Kind;
import org.corral.drivers.guest.ExecResult;
import org.corral.drivers.guest.GuestExec;
import org.corral.drivers.libvirt.LibvirtConnection;
import org.corral.model.InvalidInputException;

/**
 * Runs a command inside a VM through the QEMU guest agent: {@code guest-exec}, then
 * {@code guest-exec-status} every {@code pollInterval} until the process exits or the timeout
 * passes. The guest needs qemu-guest-agent running and the domain the
 * {@code org.qemu.guest_agent.0} channel (Corral's domain XML always adds it on KVM).
 *
 * <p>Waiting between polls uses {@link CompletableFuture#delayedExecutor}: no thread blocks, and
 * the wait is real time because it waits on a real guest process. The deadline is measured with
 * {@link System#nanoTime()} for the same reason.
 */
public final class QemuAgentExec implements GuestExec {
  private final Function<String, CompletionStage<AgentChannel>> channels;
  private final Duration pollInterval;

  /**
   * @param connections gives the open connection to a host URI (the Monitor's, typically)
   * @param pollInterval time between guest-exec-status polls
   */
  public QemuAgentExec(Function<String, CompletionStage<LibvirtConnection>> connections, Duration pollInterval) {
    this(pollInterval, host -> connections.apply(host).thenApply(c -> c::agentCommand));
  }

  /** For tests: a scripted agent stands in for a guest, which cannot run here. */
  QemuAgentExec(Duration pollInterval, Function<String, CompletionStage<AgentChannel>> channels) {
    this.channels = channels;
    this.pollInterval = pollInterval;
  }

  public QemuAgentExec(Function<String, CompletionStage<LibvirtConnection>> connections) {
    this(connections, Duration.ofMillis(200));
  }

  @Override
  public Set<String> schemes() {
    return Set.of(AgentTarget.SCHEME);
  }

  /**
   * Fails with InvalidInputException for a malformed target or empty argv, UNSUPPORTED where the
   * hypervisor has no agent, REJECTED when the agent refuses, TIMEOUT after {@code timeout}.
   */
  @Override
  public CompletionStage<ExecResult> exec(String targetUri, List<String> argv, Duration timeout) {
    AgentTarget target;
    try {
      target = AgentTarget.parse("targetUri", targetUri);
      if (argv == null || argv.isEmpty()) {
        throw new InvalidInputException("argv", "is empty", "give the program and its arguments, e.g. [\"/bin/true\"]");
      }
    } catch (InvalidInputException e) {
      return CompletableFuture.failedFuture(e);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    int agentTimeoutSec = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toSeconds()));
    return channels.apply(target.hostUri()).thenCompose(c ->
        c.command(target.domain(), AgentProtocol.execRequest(argv), agentTimeoutSec)
            .thenApply(AgentProtocol::pid)
            .thenCompose(pid -> poll(c, target, pid, deadline, agentTimeoutSec, timeout)));
  }

  /**
   * {@code guest-ping}: one round trip to the agent, no process started in the guest. A hung agent
   * fails TIMEOUT after libvirt's guest-sync gives up (5 s, unless the domain's agent timeout is
   * lower), even with a shorter {@code timeout}; an agent that is not running fails at once
   * (QemuLabGuestAgentTest measured both). The stage completes when libvirt returns.
   */
  @Override
  public CompletionStage<Void> ping(String targetUri, Duration timeout) {
    AgentTarget target;
    try {
      target = AgentTarget.parse("targetUri", targetUri);
    } catch (InvalidInputException e) {
      return CompletableFuture.failedFuture(e);
    }
    int agentTimeoutSec = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toSeconds()));
    return channels.apply(target.hostUri()).thenCompose(c -> c.command(target.domain(), AgentProtocol.pingRequest(), agentTimeoutSec))
        .thenAccept(AgentProtocol::pong);
  }

  private CompletionStage<ExecResult> poll(AgentChannel c, AgentTarget t, long pid, long deadline,
      int agentTimeoutSec, Duration timeout) {
    return c.command(t.domain(), AgentProtocol.statusRequest(pid), agentTimeoutSec).thenCompose(reply -> {
      var done = AgentProtocol.status(reply);
      if (done.isPresent()) {
        return CompletableFuture.completedFuture(done.get());
      }
      if (System.nanoTime() - deadline > 0) {
        return CompletableFuture.failedFuture(new DriverException(Kind.TIMEOUT, "guest exec in domain '" + t.domain()
            + "' (pid " + pid + "): not finished within " + timeout));
      }
      var later = CompletableFuture.delayedExecutor(pollInterval.toNanos(), TimeUnit.NANOSECONDS);
      return CompletableFuture.supplyAsync(() -> null, later)
          .thenCompose(ignored -> poll(c, t, pid, deadline, agentTimeoutSec, timeout));
    });
  }
}
