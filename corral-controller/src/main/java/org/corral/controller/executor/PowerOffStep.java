package org.corral.controller.executor;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.corral.controller.connection.Stages;
import org.corral.controller.state.ControllerState;
import org.corral.model.host.Host;
import org.corral.model.host.HostState;
import org.corral.model.plan.Action;
import org.jspecify.annotations.Nullable;

/** UP/MAINTENANCE (empty) → POWERING_OFF → OFF, done when the hypervisor stops answering. */
final class PowerOffStep extends PowerStep {
  PowerOffStep(Action.PowerOffHost a) {
    super(a, a.host(), Set.of(HostState.UP, HostState.MAINTENANCE, HostState.DRAINING), HostState.POWERING_OFF,
        HostState.OFF, HostState.ERROR);
  }

  @Override
  public Duration timeout(ExecutorSettings s) {
    return s.powerOffTimeout().plus(s.actionTimeout());
  }

  @Override
  @Nullable String missing(ControllerState s, Host h) {
    int vms = s.vmsOn(host).size();
    if (vms > 0) {
      return "host " + host + " still has " + vms + " VM(s); migrate or stop them first";
    }
    return h.power().canPowerOff() ? null : "host " + host + " has no power-off method; set power.off (ssh://, ipmi://)";
  }

  @Override
  String duringReason(Host h) {
    return "powering off via " + scheme(h.power().offOrOn());
  }

  @Override
  String successReason() {
    return "powered off";
  }

  @Override
  String failurePrefix() {
    return "power-off failed: ";
  }

  @Override
  public CompletionStage<Void> run(ExecContext ctx) {
    String[] ignored = {null};
    return ctx.loop(() -> ctx.state.requireHost(host))
        .thenCompose(h -> ctx.hop(ctx.powerOff(h).powerOff(ExecContext.target(h, true), false)))
        .thenCompose(v -> ctx.pollUntil(() -> ctx.hypervisorAnswers(host, ignored).thenApply(up -> !up),
            ctx.settings.powerOffTimeout(),
            () -> "host " + host + " still answers " + Stages.human(ctx.settings.powerOffTimeout()) + " after power-off"));
  }
}
