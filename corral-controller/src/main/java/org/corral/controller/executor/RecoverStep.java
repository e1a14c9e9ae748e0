package org.corral.controller.executor;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.corral.controller.state.ControllerState;
import org.corral.drivers.DriverException;
import org.corral.model.host.Host;
import org.corral.model.host.HostState;
import org.corral.model.plan.Action;
import org.corral.model.vm.DesiredState;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmState;
import org.jspecify.annotations.Nullable;

/**
 * UNKNOWN on a failed host → RECOVERING (its room moves to {@code to}) → BOOTING → RUNNING on
 * {@code to}: the VM's domain is defined there from its disks on shared storage and started. The
 * Guardian plans it only once the failed host is proven off; the precheck refuses it if that host
 * answers again meanwhile (its VMs are then seen as they are). A recovery that fails leaves the VM
 * UNKNOWN on its failed host, for the Guardian to try again on another one.
 */
final class RecoverStep implements Step {
  private final Action.RecoverVm a;
  private final double overcommit;

  RecoverStep(Action.RecoverVm a, double overcommit) {
    this.a = a;
    this.overcommit = overcommit;
  }

  @Override public Action action() { return a; }

  @Override public Pool pool() { return Pool.VM; }

  @Override public List<String> hosts() { return List.of(a.to()); }

  @Override
  public @Nullable String precheck(ControllerState s) {
    Vm vm = s.vm(a.vm()).orElse(null);
    if (vm == null) {
      return "VM " + a.vm() + " no longer exists";
    }
    if (vm.state() != VmState.UNKNOWN || !a.from().equals(vm.host()) || vm.desired() != DesiredState.RUNNING) {
      return "VM " + a.vm() + " is " + vm.state() + " on " + vm.host() + " (desired " + vm.desired() + "), not UNKNOWN on " + a.from();
    }
    Host from = s.host(a.from()).orElse(null);
    if (from != null && from.state() != HostState.DOWN && from.state() != HostState.FENCED) {
      return "host " + a.from() + " is " + from.state() + ": no longer failed";
    }
    if (!DomainSpecs.sharedStorage(vm, s)) {
      return "VM " + a.vm() + " has a disk on local storage: it cannot start on another host";
    }
    Host to = s.host(a.to()).orElse(null);
    if (to == null || !to.state().acceptsVms()) {
      return "host " + a.to() + " is " + (to == null ? "gone" : to.state() + ", not UP");
    }
    return Capacity.fits(s, to, vm, overcommit);
  }

  @Override
  public void begin(ControllerState.Tx tx, ControllerState s) {
    Vm vm = s.requireVm(a.vm());
    tx.vmState(vm, vm.moved(VmState.RECOVERING, a.to(), null, "restarting on " + a.to() + ": host " + a.from() + " failed",
        s.clock().now()), a.key(), a.cause());
  }

  @Override
  public CompletionStage<Void> run(ExecContext ctx) {
    return DeployStep.defineAndStart(ctx, a, a.vm(), a.to(), VmState.RECOVERING);
  }

  @Override
  public void succeed(ControllerState.Tx tx, ControllerState s) {
    Vm vm = s.requireVm(a.vm());
    tx.vmState(vm, vm.moved(VmState.RUNNING, a.to(), null, "restarted on " + a.to() + " after host " + a.from() + " failed",
        s.clock().now()), a.key(), a.cause());
  }

  @Override
  public void fail(ControllerState.Tx tx, ControllerState s, DriverException error) {
    Vm vm = s.requireVm(a.vm());
    tx.vmState(vm, vm.moved(VmState.UNKNOWN, a.from(), null, "restart on " + a.to() + " failed: " + error.getMessage()
        + "; the Guardian tries again", s.clock().now()), a.key(), a.cause());
  }
}
