package org.corral.controller.executor;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.corral.controller.state.ControllerState;
import org.corral.drivers.DriverException;
import org.corral.model.plan.Action;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmState;
import org.jspecify.annotations.Nullable;

/**
 * RUNNING → BOOTING → RUNNING on the VM's host: a graceful reboot, the guest reset when it has not
 * rebooted within {@code executor.shutdownTimeout} (the same grace a stop gives it).
 */
final class RebootStep implements Step {
  private final Action.RebootVm a;

  RebootStep(Action.RebootVm a) {
    this.a = a;
  }

  @Override public Action action() { return a; }

  @Override public Pool pool() { return Pool.VM; }

  @Override public List<String> hosts() { return List.of(a.host()); }

  @Override
  public java.time.Duration timeout(ExecutorSettings s) {
    return s.shutdownTimeout().plus(s.actionTimeout());
  }

  @Override
  public @Nullable String precheck(ControllerState s) {
    return Step.vmIn(s, a.vm(), a.host(), VmState.RUNNING);
  }

  @Override
  public void begin(ControllerState.Tx tx, ControllerState s) {
    Vm vm = s.requireVm(a.vm());
    tx.vmState(vm, vm.withState(VmState.BOOTING, "rebooting on " + a.host(), s.clock().now()), a.key(), a.cause());
  }

  @Override
  public CompletionStage<Void> run(ExecContext ctx) {
    return ctx.connect(a.host()).thenCompose(c -> ctx.hop(c.reboot(a.vm(), ctx.settings.shutdownTimeout())));
  }

  @Override
  public void succeed(ControllerState.Tx tx, ControllerState s) {
    Vm vm = s.requireVm(a.vm());
    tx.vmState(vm, vm.withState(VmState.RUNNING, "rebooted on " + a.host(), s.clock().now()), a.key(), a.cause());
  }

  /** The guest was running before; the Monitor corrects this from what the hypervisor reports. */
  @Override
  public void fail(ControllerState.Tx tx, ControllerState s, DriverException error) {
    Vm vm = s.requireVm(a.vm());
    tx.vmState(vm, vm.withState(VmState.RUNNING, "reboot failed: " + error.getMessage(), s.clock().now()), a.key(), a.cause());
  }
}
