package org.corral.controller.loop;

import java.time.Duration;
import java.util.Objects;
import org.corral.controller.state.ControllerState;
import org.corral.model.journal.EntryKind;
import org.corral.model.journal.SubjectKind;
import org.corral.model.plan.Cause;
import org.corral.model.plan.Origin;
import org.corral.model.plan.Plan;
import org.corral.model.plan.Planner;
import org.corral.model.snapshot.Snapshot;
import org.corral.model.time.Clock;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmState;
import org.corral.policy.placement.PendingVmPolicy;
import org.corral.policy.placement.PlacementReport;
import org.corral.policy.placement.Scheduler;

/**
 * Places PENDING VMs: snapshot → {@link PendingVmPolicy} (pure) → plan → planner. A VM that cannot
 * be placed stays PENDING with the scheduler's reason as its state reason (journaled when it
 * changes, not every cycle). A cycle with no PENDING VM free of actions takes no snapshot.
 */
public final class SchedulingLoop extends Loop implements PlanningLoop {
  private final ControllerState state;
  private final Planner planner;
  private final PendingVmPolicy policy;
  private long placements;
  private long dropped;

  public SchedulingLoop(Clock clock, Duration period, long seed, ControllerState state, Planner planner, Scheduler scheduler) {
    super("scheduler", clock, period, seed);
    this.state = state;
    this.planner = planner;
    this.policy = new PendingVmPolicy(scheduler);
  }

  @Override
  protected void cycle(long cycle, long seed) {
    if (!hasWork()) {
      return;
    }
    PendingVmPolicy.Decision d = policy.decide(state.snapshot(cycle, seed), planner);
    int taken = planner.submit(d.plan()).size();
    placements += d.plan().actions().size();
    dropped += d.plan().actions().size() - taken;
    for (PlacementReport r : d.unplaced()) {
      Vm vm = state.vm(r.vm()).orElse(null);
      if (vm == null || vm.state() != VmState.PENDING || Objects.equals(vm.stateReason(), r.summary())) {
        continue;
      }
      Vm after = vm.withState(VmState.PENDING, r.summary(), clock.now());
      state.tx().put(after).journal(EntryKind.UNPLACEABLE, SubjectKind.VM, vm.name(), null, null, null,
          Cause.of(Origin.SCHEDULER, cycle, "no feasible host"), r.summary()).commit();
    }
    // A VM that waits for the VMs it depends on says so in its state reason (once, when it changes).
    d.waiting().forEach((name, why) -> {
      Vm vm = state.vm(name).orElse(null);
      if (vm != null && vm.state() == VmState.PENDING && !Objects.equals(vm.stateReason(), why)) {
        state.tx().put(vm.withState(VmState.PENDING, why, clock.now())).commit();
      }
    });
  }

  /** Placements decided since start (each became a deploy in a plan). */
  public long placements() {
    return placements;
  }

  /** Deploys the planner did not take because their intent was already queued, running or done. */
  public long duplicatesDropped() {
    return dropped;
  }

  /** True when some PENDING VM has no action queued or running: O(pending), no snapshot. */
  private boolean hasWork() {
    for (String vm : state.pendingVmNames()) {
      if (!planner.isBusy(vm)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Plan plan(Snapshot snapshot, Planner recorder) {
    return policy.decide(snapshot, recorder).plan();
  }
}
