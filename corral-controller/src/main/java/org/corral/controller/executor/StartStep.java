package org.corral.controller.executor;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.corral.controller.state.ControllerState;
import org.corral.drivers.DriverException;
import org.corral.model.host.Host;
import org.corral.model.plan.Action;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmState;
import org.jspecify.annotations.Nullable;

/** STOPPED → BOOTING → RUNNING on the VM's host (its domain defined there again if it is missing). */
final class StartStep implements Step {
  private final Action.StartVm a;

  StartStep(Action.StartVm a) {
    this.a = a;
  }

  @Override public Action action() { return a; }

  @Override public Pool pool() { return Pool.VM; }

  @Override public List<String> hosts() { return List.of(a.host()); }

  @Override
  public @Nullable String precheck(ControllerState s) {
    String not = Step.vmIn(s, a.vm(), a.host(), VmState.STOPPED);
    if (not != null) {
      return not;
    }
    Host h = s.host(a.host()).orElse(null);
    if (h == null || !h.state().acceptsVms()) {
      return "host " + a.host() + " is " + (h == null ? "gone" : h.state() + ", not UP");
    }
    return null;
  }

  @Override
  public void begin(ControllerState.Tx tx, ControllerState s) {
    Vm vm = s.requireVm(a.vm());
    tx.vmState(vm, vm.withState(VmState.BOOTING, "starting on " + a.host(), s.clock().now()), a.key(), a.cause());
  }

  @Override
  public CompletionStage<Void> run(ExecContext ctx) {
    // A domain that is not defined there (a recovery cut off before it defined it; undefined
    // behind Corral's back) is defined again from the VM's spec first: start means "make it run".
    return ctx.connect(a.host()).thenCompose(c -> ctx.hop(c.domain(a.vm()))
        .thenCompose(d -> d.isPresent() ? ctx.hop(c.start(a.vm()))
            : ctx.loop(() -> DomainSpecs.of(ctx.state.requireVm(a.vm()), a.host(), ctx.state))
                .thenCompose(spec -> ctx.hop(c.define(spec)))
                .thenCompose(v -> ctx.hop(c.start(a.vm())))));
  }

  @Override
  public void succeed(ControllerState.Tx tx, ControllerState s) {
    Vm vm = s.requireVm(a.vm());
    tx.vmState(vm, vm.withState(VmState.RUNNING, "running on " + a.host(), s.clock().now()), a.key(), a.cause());
  }

  /**
   * A start the host refused leaves the VM STOPPED. A host that stopped answering (or a call that
   * timed out) may still have started it: the VM is then UNKNOWN until its host is read again (or
   * fenced), never STOPPED, which would let it be started somewhere else while it runs here.
   */
  @Override
  public void fail(ControllerState.Tx tx, ControllerState s, DriverException error) {
    Vm vm = s.requireVm(a.vm());
    boolean ambiguous = error.kind() == DriverException.Kind.UNREACHABLE || error.kind() == DriverException.Kind.TIMEOUT;
    tx.vmState(vm, vm.withState(ambiguous ? VmState.UNKNOWN : VmState.STOPPED, (ambiguous ? "start may or may not have happened: "
        : "start failed: ") + error.getMessage(), s.clock().now()), a.key(), a.cause());
  }
}
