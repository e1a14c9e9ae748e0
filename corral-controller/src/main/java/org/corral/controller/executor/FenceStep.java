package org.corral.controller.executor;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.corral.controller.state.ControllerState;
import org.corral.drivers.power.PowerStatus;
import org.corral.model.host.Host;
import org.corral.model.host.HostState;
import org.corral.model.plan.Action;
import org.jspecify.annotations.Nullable;

/**
 * DOWN → FENCING → FENCED: cut the power of a host that stopped answering and confirm it is off,
 * so that its VMs can be started elsewhere without two copies writing one disk. The Guardian
 * (a later loop) plans it; the executor runs it like any other action.
 */
final class FenceStep extends PowerStep {
  FenceStep(Action.FenceHost a) {
    super(a, a.host(), Set.of(HostState.DOWN), HostState.FENCING, HostState.FENCED, HostState.DOWN);
  }

  @Override
  public Duration timeout(ExecutorSettings s) {
    return s.powerOffTimeout().plus(s.actionTimeout());
  }

  @Override
  @Nullable String missing(ControllerState s, Host h) {
    return h.power().canPowerOff() ? null : "host " + host + " has no power control to fence with; set power.on (ipmi://)";
  }

  @Override
  String duringReason(Host h) {
    return "cutting power";
  }

  @Override
  String successReason() {
    return "power confirmed off";
  }

  @Override
  String failurePrefix() {
    return "fencing failed: ";
  }

  @Override
  public CompletionStage<Void> run(ExecContext ctx) {
    PowerStatus[] last = {PowerStatus.UNKNOWN};
    return ctx.loop(() -> ctx.state.requireHost(host)).thenCompose(h ->
        ctx.hop(ctx.powerOff(h).powerOff(ExecContext.target(h, true), true))
            .thenCompose(v -> ctx.pollUntil(() -> ctx.powerOff(h).status(ExecContext.target(h, true)).thenApply(st -> {
              last[0] = st;
              return st == PowerStatus.OFF;
            }), ctx.settings.powerOffTimeout(), () -> "power of " + host + " still reads " + last[0] + " after fencing")));
  }
}
