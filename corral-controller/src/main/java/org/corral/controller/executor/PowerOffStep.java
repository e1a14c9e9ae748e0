package org.corral.controller.executor;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.corral.controller.connection.Stages;
import org.corral.controller.state.ControllerState;
import org.corral.drivers.DriverException;
import org.corral.model.host.Host;
import org.corral.model.host.HostState;
import org.corral.model.plan.Action;

/** UP/MAINTENANCE (empty) → POWERING_OFF → OFF, done when the hypervisor stops answering. */
final class PowerOffStep implements Step {
  private static final Set<HostState> FROM = Set.of(HostState.UP, HostState.MAINTENANCE, HostState.DRAINING);
  private final Action.PowerOffHost a;

  PowerOffStep(Action.PowerOffHost a) {
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
    if (!FROM.contains(h.state())) {
      return "host " + a.host() + " is " + h.state() + "; only UP, DRAINING or MAINTENANCE hosts are powered off";
    }
    int vms = s.vmsOn(a.host()).size();
    if (vms > 0) {
      return "host " + a.host() + " still has " + vms + " VM(s); migrate or stop them first";
    }
    if (!h.power().canPowerOff()) {
      return "host " + a.host() + " has no power-off method; set power.off (ssh://, ipmi://)";
    }
    return null;
  }

  @Override
  public void begin(ControllerState.Tx tx, ControllerState s) {
    Host h = s.requireHost(a.host());
    tx.hostState(h, h.withState(HostState.POWERING_OFF, "powering off via " + PowerOnStep.scheme(h.power().offOrOn()),
        s.clock().now()), a.key(), a.cause());
  }

  @Override
  public CompletionStage<Void> run(ExecContext ctx) {
    String[] ignored = {null};
    return ctx.loop(() -> ctx.state.requireHost(a.host()))
        .thenCompose(h -> ctx.hop(ctx.powerOff(h).powerOff(ExecContext.target(h, true), false)))
        .thenCompose(v -> ctx.pollUntil(() -> ctx.hypervisorAnswers(a.host(), ignored).thenApply(up -> !up),
            ctx.settings.powerOffTimeout(),
            () -> "host " + a.host() + " still answers " + Stages.human(ctx.settings.powerOffTimeout()) + " after power-off"));
  }

  @Override
  public void succeed(ControllerState.Tx tx, ControllerState s) {
    Host h = s.requireHost(a.host());
    tx.hostState(h, h.withState(HostState.OFF, "powered off", s.clock().now()), a.key(), a.cause());
  }

  @Override
  public void fail(ControllerState.Tx tx, ControllerState s, DriverException error) {
    Host h = s.requireHost(a.host());
    tx.hostState(h, h.withState(HostState.ERROR, "power-off failed: " + error.getMessage(), s.clock().now()), a.key(), a.cause());
  }
}
