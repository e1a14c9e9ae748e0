package org.corral.controller.executor;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.corral.controller.state.ControllerState;
import org.corral.drivers.DriverException;
import org.corral.drivers.hypervisor.HypervisorConnection;
import org.corral.model.host.Host;
import org.corral.model.plan.Action;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmState;
import org.jspecify.annotations.Nullable;

/** RUNNING on {@code from} → MIGRATING → RUNNING on {@code to} (live, peer-to-peer). */
final class MigrateStep implements Step {
  private final Action.MigrateVm a;
  private final double overcommit;

  MigrateStep(Action.MigrateVm a, double overcommit) {
    this.a = a;
    this.overcommit = overcommit;
  }

  @Override public Action action() { return a; }

  @Override public Pool pool() { return Pool.MIGRATION; }

  @Override public List<String> hosts() { return List.of(a.from(), a.to()); }

  @Override
  public java.time.Duration timeout(ExecutorSettings s) {
    return s.migration().timeout().plus(java.time.Duration.ofSeconds(30));
  }

  @Override
  public @Nullable String precheck(ControllerState s) {
    Vm vm = s.vm(a.vm()).orElse(null);
    if (vm == null) {
      return "VM " + a.vm() + " no longer exists";
    }
    if (vm.state() != VmState.RUNNING || !a.from().equals(vm.host())) {
      return "VM " + a.vm() + " is " + vm.state() + " on " + vm.host() + ", not RUNNING on " + a.from();
    }
    Host to = s.host(a.to()).orElse(null);
    if (to == null || !to.state().acceptsVms()) {
      return "destination " + a.to() + " is " + (to == null ? "gone" : to.state() + ", not UP");
    }
    if (!DomainSpecs.sharedStorage(vm, s)) {
      return "VM " + a.vm() + " has a disk on local storage; live migration needs every image on shared storage";
    }
    return Capacity.fits(s, to, vm, overcommit);
  }

  @Override
  public void begin(ControllerState.Tx tx, ControllerState s) {
    Vm vm = s.requireVm(a.vm());
    tx.vmState(vm, vm.moved(VmState.MIGRATING, a.from(), a.to(), "migrating to " + a.to(), s.clock().now()), a.key(), a.cause());
  }

  @Override
  public CompletionStage<Void> run(ExecContext ctx) {
    return ctx.connect(a.from()).thenCompose(src -> ctx.connect(a.to()).thenCompose(dst ->
        // After a controller restart the migration may already have finished: look first.
        ctx.hop(dst.domain(a.vm())).thenCompose(found -> {
          if (found.isPresent() && found.get().state().isActive()) {
            return CompletableFuture.<Void>completedFuture(null);
          }
          return migrate(ctx, src, dst);
        })));
  }

  private CompletionStage<Void> migrate(ExecContext ctx, HypervisorConnection src, HypervisorConnection dst) {
    return ctx.hop(src.migrate(a.vm(), dst, ctx.settings.migration(), p -> {}));
  }

  @Override
  public void succeed(ControllerState.Tx tx, ControllerState s) {
    Vm vm = s.requireVm(a.vm());
    tx.vmState(vm, vm.moved(VmState.RUNNING, a.to(), null, "running on " + a.to() + " (migrated from " + a.from() + ")",
        s.clock().now()), a.key(), a.cause());
  }

  @Override
  public void fail(ControllerState.Tx tx, ControllerState s, DriverException error) {
    Vm vm = s.requireVm(a.vm());
    tx.vmState(vm, vm.moved(VmState.RUNNING, a.from(), null, "migration to " + a.to() + " failed: " + error.getMessage(),
        s.clock().now()), a.key(), a.cause());
  }
}
