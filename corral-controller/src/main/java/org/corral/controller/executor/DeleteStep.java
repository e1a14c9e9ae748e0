package org.corral.controller.executor;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.corral.controller.state.ControllerState;
import org.corral.drivers.DriverException;
import org.corral.model.host.Host;
import org.corral.model.journal.EntryKind;
import org.corral.model.journal.SubjectKind;
import org.corral.model.plan.Action;
import org.corral.model.vm.DesiredState;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmState;
import org.jspecify.annotations.Nullable;

/**
 * Destroys and undefines the VM's domain, removes its own volumes (never base images), then
 * forgets the VM; its IP/MAC leases are free again since leases are derived from live VMs.
 */
final class DeleteStep implements Step {
  private final Action.DeleteVm a;

  DeleteStep(Action.DeleteVm a) {
    this.a = a;
  }

  @Override public Action action() { return a; }

  @Override public Pool pool() { return Pool.VM; }

  @Override public List<String> hosts() { return a.host() == null ? List.of() : List.of(a.host()); }

  @Override
  public java.time.Duration timeout(ExecutorSettings s) {
    return s.actionTimeout().plus(s.shutdownTimeout());
  }

  @Override
  public @Nullable String precheck(ControllerState s) {
    Vm vm = s.vm(a.vm()).orElse(null);
    if (vm == null) {
      return "VM " + a.vm() + " no longer exists";
    }
    if (vm.state() == VmState.MIGRATING) {
      return "VM " + a.vm() + " is migrating; delete it once the migration ends";
    }
    return null;
  }

  @Override
  public void begin(ControllerState.Tx tx, ControllerState s) {
    Vm vm = s.requireVm(a.vm());
    if (vm.desired() != DesiredState.DELETED) {
      tx.put(vm.withDesired(DesiredState.DELETED));
    }
  }

  @Override
  public CompletionStage<Void> run(ExecContext ctx) {
    return ctx.loop(() -> {
      Vm vm = ctx.state.vm(a.vm()).orElse(null);
      if (vm == null || vm.host() == null) {
        return null;
      }
      Host h = ctx.state.host(vm.host()).orElse(null);
      // A host that is gone, off or fenced holds no running domain; its definition stays behind.
      return h != null && h.state().expectedReachable() ? h : null;
    }).thenCompose(h -> {
      if (h == null) {
        return CompletableFuture.<Void>completedFuture(null);
      }
      // A domain that is already gone is what delete wants: NOT_FOUND counts as done.
      return ctx.connect(h.name()).thenCompose(c -> ignoreMissing(ctx.hop(c.destroy(a.vm())))
          .thenCompose(v -> ignoreMissing(ctx.hop(c.undefine(a.vm(), true)))));
    });
  }

  private static CompletionStage<Void> ignoreMissing(CompletionStage<Void> stage) {
    return stage.handle((v, e) -> {
      if (e != null && DriverException.of(e).kind() != DriverException.Kind.NOT_FOUND) {
        throw DriverException.of(e);
      }
      return (Void) null;
    });
  }

  @Override
  public void succeed(ControllerState.Tx tx, ControllerState s) {
    Vm vm = s.requireVm(a.vm());
    tx.journal(EntryKind.STATE_CHANGED, SubjectKind.VM, vm.name(), vm.state().name(), VmState.DELETED.name(), a.key(), a.cause(),
        "deleted" + (vm.host() != null ? " from " + vm.host() : "") + "; leases released");
    tx.deleteVm(vm.name());
  }

  @Override
  public void fail(ControllerState.Tx tx, ControllerState s, DriverException error) {
    Vm vm = s.requireVm(a.vm());
    tx.vmState(vm, vm.withState(VmState.FAILED, "delete failed: " + error.getMessage() + "; `corral vm delete "
        + a.vm() + "` tries again", s.clock().now()), a.key(), a.cause());
  }
}
