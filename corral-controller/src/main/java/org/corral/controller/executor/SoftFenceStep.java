package org.corral.controller.executor;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.corral.controller.connection.Stages;
import org.corral.controller.state.ControllerState;
import org.corral.drivers.DriverException;
import org.corral.drivers.power.PowerTarget;
import org.corral.model.host.Host;
import org.corral.model.host.HostState;
import org.corral.model.plan.Action;
import org.jspecify.annotations.Nullable;

/**
 * Soft fencing: a DOWN host's hypervisor daemon is restarted through its {@code power.soft}
 * method (over SSH, {@code systemctl restart libvirtd}), under the action's timeout, and its
 * hypervisor polled until it answers, for at most the action's grace. Success: the host is UP
 * again, its VMs are read back by the Monitor, and nothing is fenced nor recovered. Failure: the
 * host stays DOWN with the reason and the Guardian goes on to hard fencing. Never retried: each
 * try delays the hard fencing that follows, so a failure of any kind is final.
 */
final class SoftFenceStep implements Step {
  private final Action.SoftFenceHost a;

  SoftFenceStep(Action.SoftFenceHost a) {
    this.a = a;
  }

  @Override public Action action() { return a; }

  @Override public Pool pool() { return Pool.POWER; }

  @Override public List<String> hosts() { return List.of(a.host()); }

  @Override
  public Duration timeout(ExecutorSettings s) {
    return a.timeout().plus(a.grace()).plus(s.powerPollInterval()).plus(s.actionTimeout());
  }

  @Override
  public @Nullable String precheck(ControllerState s) {
    Host h = s.host(a.host()).orElse(null);
    if (h == null) {
      return "host " + a.host() + " no longer exists";
    }
    if (h.state() != HostState.DOWN) {
      return "host " + a.host() + " is " + h.state() + "; soft fencing needs it DOWN";
    }
    return h.power().canSoftFence() ? null
        : "host " + a.host() + " has no soft fencing method; set power.soft (ssh://root@" + a.host() + ")";
  }

  @Override
  public void begin(ControllerState.Tx tx, ControllerState s) {
    // The host stays DOWN while its hypervisor restarts; the action in flight says what happens.
  }

  @Override
  public CompletionStage<Void> run(ExecContext ctx) {
    String[] lastError = {"none"};
    return ctx.loop(() -> ctx.state.requireHost(a.host())).thenCompose(h -> {
      String uri = Objects.requireNonNull(h.power().soft(), "power.soft");
      PowerTarget target = new PowerTarget(h.name(), uri, null);
      return ctx.hop(Stages.within(ctx.drivers.powerFor("power.soft", uri).restartHypervisor(target), a.timeout(), ctx.clock,
          "restarting the hypervisor of " + a.host()));
    }).thenCompose(v -> ctx.pollUntil(() -> ctx.hypervisorAnswers(a.host(), lastError), a.grace(),
        () -> "its hypervisor was restarted but did not answer within " + Stages.human(a.grace()) + " (last error: "
            + lastError[0] + ")"))
        .exceptionally(e -> {
          DriverException d = DriverException.of(e);
          throw d.kind().retryable() ? new DriverException(DriverException.Kind.REJECTED, d.getMessage(), d) : d;
        });
  }

  @Override
  public void succeed(ControllerState.Tx tx, ControllerState s) {
    Host h = s.requireHost(a.host());
    if (h.state() == HostState.DOWN) { // the Monitor may have seen it answer first
      tx.hostState(h, h.withState(HostState.UP, "hypervisor restarted (soft fencing); it answers again", s.clock().now()),
          a.key(), a.cause());
    }
  }

  @Override
  public void fail(ControllerState.Tx tx, ControllerState s, DriverException error) {
    Host h = s.requireHost(a.host());
    if (h.state() == HostState.DOWN) {
      tx.hostState(h, h.withState(HostState.DOWN, "soft fencing failed: " + error.getMessage(), s.clock().now()),
          a.key(), a.cause());
    }
  }
}
