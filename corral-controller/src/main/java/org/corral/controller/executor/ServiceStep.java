package org.corral.controller.executor;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.corral.controller.guest.ServiceChecks;
import org.corral.controller.state.ControllerState;
import org.corral.drivers.DriverException;
import org.corral.drivers.guest.ExecResult;
import org.corral.model.host.Host;
import org.corral.model.plan.Action;
import org.corral.model.snapshot.ServiceObservation;
import org.corral.model.vm.ServiceCheck;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmState;
import org.jspecify.annotations.Nullable;

/**
 * Restarts services inside a running VM, one after another, through the guest-exec transport of
 * its host: each by the script contract's {@code restart} argument (and when that fails, by
 * {@code stop} then {@code start}), or by its declared restart command. The VM's state does not
 * change; the journal has the action with its cause (the check and its first line of output).
 * Restarting a service is idempotent, so a run resumed after a controller restart runs it again.
 * A command that exits non-zero fails the action (the escalation goes on with the next checks).
 */
final class ServiceStep implements Step {
  private final Action.RestartService a;

  ServiceStep(Action.RestartService a) {
    this.a = a;
  }

  @Override public Action action() { return a; }

  @Override public Pool pool() { return Pool.VM; }

  @Override public List<String> hosts() { return List.of(a.host()); }

  @Override
  public @Nullable String precheck(ControllerState s) {
    String not = Step.vmIn(s, a.vm(), a.host(), VmState.RUNNING);
    if (not != null) {
      return not;
    }
    Vm vm = s.vm(a.vm()).orElseThrow();
    for (String name : a.services()) {
      ServiceCheck c = service(vm, name);
      if (c == null || !c.restartable()) {
        return "VM " + a.vm() + " has no service '" + name + "' that can be restarted";
      }
    }
    Host h = s.host(a.host()).orElse(null);
    return h == null ? "host " + a.host() + " is gone" : null;
  }

  @Override
  public void begin(ControllerState.Tx tx, ControllerState s) {
    // Nothing changes state: the RUNNING action record, journaled with its cause, is the mark.
  }

  @Override
  public CompletionStage<Void> run(ExecContext ctx) {
    ServiceChecks checks = new ServiceChecks(ctx.drivers, ctx.settings.actionTimeout());
    CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
    for (String name : a.services()) {
      chain = chain.thenCompose(v -> ctx.loop(() -> {
        Vm vm = ctx.state.requireVm(a.vm());
        ServiceCheck c = service(vm, name);
        if (c == null) {
          throw new DriverException(DriverException.Kind.REJECTED, "VM " + a.vm() + " no longer checks service '" + name + "'");
        }
        return new Target(ServiceChecks.guestTarget(ctx.state.requireHost(a.host()).uri(), a.vm()), c);
      })).thenCompose(t -> restart(ctx, checks, t));
    }
    return chain;
  }

  private record Target(String guest, ServiceCheck check) {}

  /** {@code restart}; for a script whose restart fails, {@code stop} then {@code start}. */
  private CompletionStage<Void> restart(ExecContext ctx, ServiceChecks checks, Target t) {
    return ctx.hop(checks.act(t.guest(), t.check(), "restart")).thenCompose(r -> {
      if (r.ok()) {
        return CompletableFuture.<Void>completedFuture(null);
      }
      if (t.check().kind() != ServiceCheck.Kind.SCRIPT) {
        return CompletableFuture.<Void>failedFuture(failed(t.check(), "restart", r));
      }
      return ctx.hop(checks.act(t.guest(), t.check(), "stop"))
          .thenCompose(stop -> ctx.hop(checks.act(t.guest(), t.check(), "start")))
          .thenCompose(start -> start.ok() ? CompletableFuture.<Void>completedFuture(null)
              : CompletableFuture.<Void>failedFuture(failed(t.check(), "restart, then stop and start,", start)));
    });
  }

  private DriverException failed(ServiceCheck c, String what, ExecResult r) {
    String line = ServiceObservation.ofExit(a.vm(), c, r.exitCode(), r.stdout(), r.stderr(), java.time.Instant.EPOCH).reason();
    return new DriverException(DriverException.Kind.REJECTED, what + " of service '" + c.name() + "' in " + a.vm() + " failed: " + line);
  }

  private static @Nullable ServiceCheck service(Vm vm, String name) {
    for (ServiceCheck c : vm.spec().services()) {
      if (c.name().equals(name)) {
        return c;
      }
    }
    return null;
  }

  @Override
  public void succeed(ControllerState.Tx tx, ControllerState s) {
  }

  @Override
  public void fail(ControllerState.Tx tx, ControllerState s, DriverException error) {
  }
}
