package org.corral.controller.executor;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.corral.controller.state.ControllerState;
import org.corral.drivers.DriverException;
import org.corral.drivers.power.PowerStatus;
import org.corral.model.host.Host;
import org.corral.model.host.HostState;
import org.corral.model.plan.Action;

/**
 * DOWN → FENCING → FENCED: cut the power of a host that stopped answering and confirm it is off,
 * so that its VMs can be started elsewhere without two copies writing one disk. The Guardian
 * (a later loop) plans it; the executor runs it like any other action.
 */
final class FenceStep implements Step {
  private final Action.FenceHost a;

  FenceStep(Action.FenceHost a) {
    this.a = a;
  }

  @Override public Action action() { return a; }

  @Override public Pool pool() { return Pool.POWER; }

  @Override public List<String> hosts() { return List.of(a.host()); }

  @Override
  public Duration timeout(ExecutorSettings s) {
    return s.powerOffTimeout().plus(s.actionTimeout());
  }

  @Override
  public String precheck(ControllerState s) {
    Host h = s.host(a.host()).orElse(null);
    if (h == null) {
      return "host " + a.host() + " no longer exists";
    }
    if (h.state() != HostState.DOWN) {
      return "host " + a.host() + " is " + h.state() + "; only DOWN hosts are fenced";
    }
    if (!h.power().canPowerOff()) {
      return "host " + a.host() + " has no power control to fence with; set power.on (ipmi://)";
    }
    return null;
  }

  @Override
  public void begin(ControllerState.Tx tx, ControllerState s) {
    Host h = s.requireHost(a.host());
    tx.hostState(h, h.withState(HostState.FENCING, "cutting power", s.clock().now()), a.key(), a.cause());
  }

  @Override
  public CompletionStage<Void> run(ExecContext ctx) {
    PowerStatus[] last = {PowerStatus.UNKNOWN};
    return ctx.loop(() -> ctx.state.requireHost(a.host())).thenCompose(h ->
        ctx.hop(ctx.powerOff(h).powerOff(ExecContext.target(h, true), true))
            .thenCompose(v -> ctx.pollUntil(() -> ctx.powerOff(h).status(ExecContext.target(h, true)).thenApply(st -> {
              last[0] = st;
              return st == PowerStatus.OFF;
            }), ctx.settings.powerOffTimeout(), () -> "power of " + a.host() + " still reads " + last[0] + " after fencing")));
  }

  @Override
  public void succeed(ControllerState.Tx tx, ControllerState s) {
    Host h = s.requireHost(a.host());
    tx.hostState(h, h.withState(HostState.FENCED, "power confirmed off", s.clock().now()), a.key(), a.cause());
  }

  @Override
  public void fail(ControllerState.Tx tx, ControllerState s, DriverException error) {
    Host h = s.requireHost(a.host());
    tx.hostState(h, h.withState(HostState.DOWN, "fencing failed: " + error.getMessage(), s.clock().now()), a.key(), a.cause());
  }
}
