package org.corral.controller.executor;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.corral.controller.state.ControllerState;
import org.corral.drivers.DriverException;
import org.corral.model.plan.Action;
import org.jspecify.annotations.Nullable;

/**
 * What one kind of action means: its preconditions, the state it enters when it starts, the
 * driver calls, and the state it leaves on success or failure. The executor supplies ordering,
 * limits, durability, timeouts and retries around it.
 */
sealed interface Step permits DeployStep, RecoverStep, StartStep, StopStep, RebootStep, MigrateStep, DeleteStep, PowerStep, ServiceStep, SoftFenceStep {
  /** Which limit pool the action counts against. */
  enum Pool { VM, MIGRATION, POWER }

  Action action();

  Pool pool();

  /** How long one attempt may take. */
  default java.time.Duration timeout(ExecutorSettings s) {
    return s.actionTimeout();
  }

  /** Hosts this action touches (for per-host limits). */
  List<String> hosts();

  /** Null when the action may run now; else why not (the action is rejected, nothing done). */
  @Nullable String precheck(ControllerState s);

  /** State changes that mark the start, written in the same batch as the RUNNING record. */
  void begin(ControllerState.Tx tx, ControllerState s);

  /** The driver calls. May run again after a crash or a retry, so it must be idempotent. */
  CompletionStage<Void> run(ExecContext ctx);

  /** State changes on success, written with the SUCCEEDED record. */
  void succeed(ControllerState.Tx tx, ControllerState s);

  /** State changes on final failure, written with the FAILED record. */
  void fail(ControllerState.Tx tx, ControllerState s, DriverException error);

  /**
   * Why an action on VM {@code vm} cannot start, when it is missing or not {@code state} on
   * {@code host}; null when it is.
   */
  static @Nullable String vmIn(ControllerState s, String vm, String host, org.corral.model.vm.VmState state) {
    org.corral.model.vm.Vm v = s.vm(vm).orElse(null);
    if (v == null) {
      return "VM " + vm + " no longer exists";
    }
    if (v.state() != state || !host.equals(v.host())) {
      return "VM " + vm + " is " + v.state() + " on " + v.host() + ", not " + state + " on " + host;
    }
    return null;
  }
}
