package org.corral.controller.loop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.corral.controller.executor.Executor;
import org.corral.controller.state.ControllerState;
import org.corral.model.journal.EntryKind;
import org.corral.model.journal.SubjectKind;
import org.corral.model.plan.Cause;
import org.corral.model.plan.Origin;
import org.corral.model.snapshot.Snapshot;
import org.corral.model.time.Clock;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmState;
import org.corral.policy.placement.PlacementReport;
import org.corral.policy.placement.PlacementResult;
import org.corral.policy.placement.Scheduler;

/**
 * Places PENDING VMs: snapshot → {@link Scheduler} (pure) → plan → executor. A VM that cannot be
 * placed stays PENDING with the scheduler's reason as its state reason (journaled when it changes,
 * not every cycle).
 */
public final class SchedulingLoop extends Loop {
  private final ControllerState state;
  private final Executor executor;
  private final Scheduler scheduler;

  public SchedulingLoop(Clock clock, Duration period, long seed, ControllerState state, Executor executor, Scheduler scheduler) {
    super("scheduler", clock, period, seed);
    this.state = state;
    this.executor = executor;
    this.scheduler = scheduler;
  }

  @Override
  protected void cycle(long cycle, long seed) {
    Snapshot snap = state.snapshot(cycle, seed);
    List<Vm> pending = new ArrayList<>();
    for (Vm vm : snap.pending()) {
      if (!executor.isBusy(vm.name())) {
        pending.add(vm);
      }
    }
    if (pending.isEmpty()) {
      return;
    }
    PlacementResult result = scheduler.place(snap, pending);
    executor.submit(result.toPlan(cycle));
    for (PlacementReport r : result.unplaced()) {
      Vm vm = state.vm(r.vm()).orElse(null);
      if (vm == null || vm.state() != VmState.PENDING || Objects.equals(vm.stateReason(), r.summary())) {
        continue;
      }
      Vm after = vm.withState(VmState.PENDING, r.summary(), clock.now());
      state.tx().put(after).journal(EntryKind.UNPLACEABLE, SubjectKind.VM, vm.name(), null, null, null,
          Cause.of(Origin.SCHEDULER, cycle, "no feasible host"), r.summary()).commit();
    }
  }
}
