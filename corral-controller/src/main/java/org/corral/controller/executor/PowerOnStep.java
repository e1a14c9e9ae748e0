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

/**
 * OFF → POWERING_ON → UP. Done when the hypervisor answers, polled on the clock, so that waiting
 * on one host never blocks work on others; ERROR with the reason when it does not.
 */
final class PowerOnStep extends PowerStep {
  PowerOnStep(Action.PowerOnHost a) {
    super(a, a.host(), Set.of(HostState.OFF, HostState.FENCED, HostState.DOWN, HostState.ERROR), HostState.POWERING_ON,
        HostState.UP, HostState.ERROR);
  }

  @Override
  public Duration timeout(ExecutorSettings s) {
    return s.powerOnTimeout().plus(s.actionTimeout());
  }

  @Override
  @Nullable String missing(ControllerState s, Host h) {
    return h.power().canPowerOn() ? null : "host " + host + " has no power-on method; set power.on (ipmi://, wol://)";
  }

  @Override
  String duringReason(Host h) {
    return "powering on via " + scheme(h.power().on());
  }

  @Override
  String successReason() {
    return "powered on; hypervisor answers";
  }

  @Override
  String failurePrefix() {
    return "power-on failed: ";
  }

  @Override
  public CompletionStage<Void> run(ExecContext ctx) {
    String[] lastError = {"none"};
    return ctx.loop(() -> ctx.state.requireHost(host))
        .thenCompose(h -> ctx.hop(ctx.powerOn(h).powerOn(ExecContext.target(h, false))))
        .thenCompose(v -> ctx.pollUntil(() -> ctx.hypervisorAnswers(host, lastError), ctx.settings.powerOnTimeout(),
            () -> "host " + host + " was powered on but its hypervisor did not answer within "
                + Stages.human(ctx.settings.powerOnTimeout()) + " (last error: " + lastError[0] + ")"));
  }
}
