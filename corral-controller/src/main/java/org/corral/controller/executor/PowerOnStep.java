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

/**
 * OFF → POWERING_ON → UP. Done when the hypervisor answers, polled on the clock, so that waiting
 * on one host never blocks work on others.
 */
final class PowerOnStep implements Step {
  private static final Set<HostState> FROM = Set.of(HostState.OFF, HostState.FENCED, HostState.DOWN, HostState.ERROR);
  private final Action.PowerOnHost a;

  PowerOnStep(Action.PowerOnHost a) {
    this.a = a;
  }

  @Override public Action action() { return a; }

  @Override public Pool pool() { return Pool.POWER; }

  @Override public List<String> hosts() { return List.of(a.host()); }

  @Override
  public Duration timeout(ExecutorSettings s) {
    return s.powerOnTimeout().plus(s.actionTimeout());
  }

  @Override
  public String precheck(ControllerState s) {
    Host h = s.host(a.host()).orElse(null);
    if (h == null) {
      return "host " + a.host() + " no longer exists";
    }
    if (!FROM.contains(h.state())) {
      return "host " + a.host() + " is " + h.state() + "; only OFF, FENCED, DOWN or ERROR hosts are powered on";
    }
    if (!h.power().canPowerOn()) {
      return "host " + a.host() + " has no power-on method; set power.on (ipmi://, wol://)";
    }
    return null;
  }

  @Override
  public void begin(ControllerState.Tx tx, ControllerState s) {
    Host h = s.requireHost(a.host());
    tx.hostState(h, h.withState(HostState.POWERING_ON, "powering on via " + scheme(h.power().on()), s.clock().now()), a.key(), a.cause());
  }

  @Override
  public CompletionStage<Void> run(ExecContext ctx) {
    String[] lastError = {"none"};
    return ctx.loop(() -> ctx.state.requireHost(a.host()))
        .thenCompose(h -> ctx.hop(ctx.powerOn(h).powerOn(ExecContext.target(h, false))))
        .thenCompose(v -> ctx.pollUntil(() -> ctx.hypervisorAnswers(a.host(), lastError), ctx.settings.powerOnTimeout(),
            () -> "host " + a.host() + " was powered on but its hypervisor did not answer within "
                + Stages.human(ctx.settings.powerOnTimeout()) + " (last error: " + lastError[0] + ")"));
  }

  @Override
  public void succeed(ControllerState.Tx tx, ControllerState s) {
    Host h = s.requireHost(a.host());
    tx.hostState(h, h.withState(HostState.UP, "powered on; hypervisor answers", s.clock().now()), a.key(), a.cause());
  }

  @Override
  public void fail(ControllerState.Tx tx, ControllerState s, DriverException error) {
    Host h = s.requireHost(a.host());
    tx.hostState(h, h.withState(HostState.ERROR, "power-on failed: " + error.getMessage(), s.clock().now()), a.key(), a.cause());
  }

  static String scheme(String uri) {
    int i = uri == null ? -1 : uri.indexOf(':');
    return i > 0 ? uri.substring(0, i) : String.valueOf(uri);
  }
}
