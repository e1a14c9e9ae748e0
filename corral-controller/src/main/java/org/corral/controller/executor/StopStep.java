package org.corral.controller.executor;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.corral.controller.state.ControllerState;
import org.corral.drivers.DriverException;
import org.corral.model.plan.Action;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmState;
import org.jspecify.annotations.Nullable;

/** RUNNING → STOPPING → STOPPED: ACPI shutdown, destroyed after the grace period (or at once when forced). */
final class StopStep implements Step {
  private static final Set<VmState> STOPPABLE = Set.of(VmState.RUNNING, VmState.BOOTING, VmState.SUSPENDED, VmState.UNKNOWN);
  private final Action.StopVm a;
  private @Nullable VmState before;

  StopStep(Action.StopVm a) {
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
    Vm vm = s.vm(a.vm()).orElse(null);
    if (vm == null) {
      return "VM " + a.vm() + " no longer exists";
    }
    if (!STOPPABLE.contains(vm.state()) || !a.host().equals(vm.host())) {
      return "VM " + a.vm() + " is " + vm.state() + " on " + vm.host() + ", nothing to stop on " + a.host();
    }
    return null;
  }

  @Override
  public void begin(ControllerState.Tx tx, ControllerState s) {
    Vm vm = s.requireVm(a.vm());
    before = vm.state();
    tx.vmState(vm, vm.withState(VmState.STOPPING, a.force() ? "destroying" : "shutting down", s.clock().now()), a.key(), a.cause());
  }

  @Override
  public CompletionStage<Void> run(ExecContext ctx) {
    return ctx.connect(a.host()).thenCompose(c -> ctx.hop(a.force()
        ? c.destroy(a.vm())
        : c.shutdown(a.vm(), ctx.settings.shutdownTimeout())));
  }

  @Override
  public void succeed(ControllerState.Tx tx, ControllerState s) {
    Vm vm = s.requireVm(a.vm());
    tx.vmState(vm, vm.withState(VmState.STOPPED, a.force() ? "destroyed" : "shut down", s.clock().now()), a.key(), a.cause());
  }

  @Override
  public void fail(ControllerState.Tx tx, ControllerState s, DriverException error) {
    Vm vm = s.requireVm(a.vm());
    // The Monitor will correct this from what the hypervisor reports.
    VmState back = before != null ? before : VmState.RUNNING;
    tx.vmState(vm, vm.withState(back == VmState.BOOTING ? VmState.RUNNING : back,
        "stop failed: " + error.getMessage(), s.clock().now()), a.key(), a.cause());
  }
}
