package org.corral.controller.executor;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.corral.controller.state.ControllerState;
import org.corral.drivers.DriverException;
import org.corral.model.host.Host;
import org.corral.model.plan.Action;
import org.corral.model.vm.DesiredState;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmState;
import org.jspecify.annotations.Nullable;

/** PENDING → PROVISIONING (define) → BOOTING (start) → RUNNING on the chosen host. */
final class DeployStep implements Step {
  private final Action.DeployVm a;
  private final double overcommit;

  DeployStep(Action.DeployVm a, double overcommit) {
    this.a = a;
    this.overcommit = overcommit;
  }

  @Override public Action action() { return a; }

  @Override public Pool pool() { return Pool.VM; }

  @Override public List<String> hosts() { return List.of(a.host()); }

  @Override
  public @Nullable String precheck(ControllerState s) {
    Vm vm = s.vm(a.vm()).orElse(null);
    if (vm == null) {
      return "VM " + a.vm() + " no longer exists";
    }
    if (vm.state() != VmState.PENDING || vm.desired() == DesiredState.DELETED) {
      return "VM " + a.vm() + " is " + vm.state() + ", no longer PENDING";
    }
    Host h = s.host(a.host()).orElse(null);
    if (h == null) {
      return "host " + a.host() + " no longer exists";
    }
    if (!h.state().acceptsVms()) {
      return "host " + a.host() + " is " + h.state() + ", not UP";
    }
    return Capacity.fits(s, h, vm, overcommit);
  }

  @Override
  public void begin(ControllerState.Tx tx, ControllerState s) {
    Vm vm = s.requireVm(a.vm());
    tx.vmState(vm, vm.moved(VmState.PROVISIONING, a.host(), null, "defining on " + a.host(), s.clock().now()), a.key(), a.cause());
  }

  @Override
  public CompletionStage<Void> run(ExecContext ctx) {
    return defineAndStart(ctx, a, a.vm(), a.host(), VmState.PROVISIONING);
  }

  /**
   * Defines the VM's domain on {@code host} (by UUID: defining again is harmless), moves it from
   * {@code defining} to BOOTING, and starts it (starting a running domain is harmless): safe to
   * run again after a crash or a retry. Shared with the recovery step.
   */
  static CompletionStage<Void> defineAndStart(ExecContext ctx, Action a, String vmName, String host, VmState defining) {
    return ctx.connect(host).thenCompose(conn ->
        ctx.loop(() -> DomainSpecs.of(ctx.state.requireVm(vmName), host, ctx.state))
            .thenCompose(spec -> ctx.hop(conn.define(spec)))
            .thenCompose(v -> ctx.loop(() -> {
              Vm vm = ctx.state.requireVm(vmName);
              if (vm.state() == defining) {
                ctx.state.transitionVm(vmName, VmState.BOOTING, host, null, "starting on " + host, a.key(), a.cause());
              }
              return conn;
            }))
            .thenCompose(c -> ctx.hop(c.start(vmName))));
  }

  @Override
  public void succeed(ControllerState.Tx tx, ControllerState s) {
    Vm vm = s.requireVm(a.vm());
    tx.vmState(vm, vm.moved(VmState.RUNNING, a.host(), null, "running on " + a.host(), s.clock().now()), a.key(), a.cause());
  }

  @Override
  public void fail(ControllerState.Tx tx, ControllerState s, DriverException error) {
    Vm vm = s.requireVm(a.vm());
    tx.vmState(vm, vm.moved(VmState.FAILED, a.host(), null, "deploy on " + a.host() + " failed: " + error.getMessage()
        + "; `corral vm start " + a.vm() + "` tries again", s.clock().now()), a.key(), a.cause());
  }
}
