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
 * UNKNOWN on a failed host (or STOPPED on its own, again, on a host that is up) → RECOVERING (its room moves to {@code to}) → BOOTING → RUNNING on
 * {@code to}: the VM's domain is defined there from its disks on shared storage and started. The
 * Guardian plans it only once the failed host is proven off; the precheck refuses it if that host
 * answers again meanwhile (its VMs are then seen as they are). A recovery that fails leaves the VM
 * UNKNOWN on its failed host, for the Guardian to try again on another one; one whose outcome is
 * unknown (the target stopped answering) leaves it UNKNOWN on the target.
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
    boolean lost = vm.state() == VmState.UNKNOWN;
    if (!(lost || vm.state() == VmState.STOPPED) || !a.from().equals(vm.host()) || vm.desired() != DesiredState.RUNNING) {
      return "VM " + a.vm() + " is " + vm.state() + " on " + vm.host() + " (desired " + vm.desired() + "), not UNKNOWN or STOPPED on "
          + a.from();
    }
    Host from = s.host(a.from()).orElse(null);
    if (lost && from != null && from.state() != HostState.DOWN && from.state() != HostState.FENCED) {
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
    // A STOPPED VM either stopped on its own (a crash restart) or was stopped by the Guardian for
    // its services (a recreation): the action's cause, journaled beside this, says which.
    tx.vmState(vm, vm.moved(VmState.RECOVERING, a.to(), null, "restarting on " + a.to() + (vm.state() == VmState.STOPPED
        ? ": it was stopped on " + a.from() : ": host " + a.from() + " failed"),
        s.clock().now()), a.key(), a.cause());
  }

  @Override
  public CompletionStage<Void> run(ExecContext ctx) {
    return DeployStep.defineAndStart(ctx, a, a.vm(), a.to(), VmState.RECOVERING);
  }

  @Override
  public void succeed(ControllerState.Tx tx, ControllerState s) {
    Vm vm = s.requireVm(a.vm());
    boolean fromUp = s.host(a.from()).map(h -> h.state().acceptsVms()).orElse(false);
    tx.vmState(vm, vm.moved(VmState.RUNNING, a.to(), null, "restarted on " + a.to() + (fromUp ? " (moved from " + a.from() + ")"
        : " after host " + a.from() + " failed"), s.clock().now()), a.key(), a.cause());
  }

  /**
   * A definite failure (the target refused) leaves the VM UNKNOWN on its failed host, to be tried
   * again elsewhere. A target that stopped answering, or a call that timed out, may still have
   * started the domain: the VM is then UNKNOWN on the target, which must answer again or be fenced
   * before the VM is started anywhere else.
   */
  @Override
  public void fail(ControllerState.Tx tx, ControllerState s, DriverException error) {
    Vm vm = s.requireVm(a.vm());
    boolean ambiguous = error.kind() == DriverException.Kind.UNREACHABLE || error.kind() == DriverException.Kind.TIMEOUT;
    String where = ambiguous ? a.to() : a.from();
    String reason = ambiguous
        ? "restart on " + a.to() + " may or may not have happened (" + error.getMessage() + "): " + a.to()
            + " must answer or be fenced before the VM starts anywhere else"
        : "restart on " + a.to() + " failed: " + error.getMessage() + "; the Guardian tries again";
    tx.vmState(vm, vm.moved(VmState.UNKNOWN, where, null, reason, s.clock().now()), a.key(), a.cause());
  }
}
