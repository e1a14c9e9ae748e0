package org.corral.policy.placement;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.corral.model.plan.Action;
import org.corral.model.plan.Cause;
import org.corral.model.plan.Origin;
import org.corral.model.plan.Plan;
import org.corral.model.plan.Planner;
import org.corral.model.snapshot.Snapshot;
import org.corral.model.vm.Vm;

/**
 * The scheduling decision: every PENDING VM that no action holds yet gets a DeployVm to the host
 * the {@link Scheduler} chooses. Pure: the same snapshot and busy set give the same plan, whether
 * the planner is the executor or a recording one ({@code corral plan}, tests, the simulator).
 */
public final class PendingVmPolicy {
  private final Scheduler scheduler;

  public PendingVmPolicy(Scheduler scheduler) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
  }

  /**
   * What one decision produced: the plan (deploys, plus a note per VM left unplaced) and the
   * structured reports of the VMs left PENDING.
   *
   * @param waiting the VMs not placed because a VM they depend on does not run yet, with why
   */
  public record Decision(Plan plan, List<PlacementReport> unplaced, java.util.Map<String, String> waiting) {
    public Decision {
      unplaced = List.copyOf(unplaced);
      waiting = java.util.Map.copyOf(waiting);
    }
  }

  /**
   * Decides for the snapshot's PENDING VMs, oldest first, skipping those {@code planner} says are
   * busy (a deploy already queued). Does not submit: the caller hands the plan to the planner.
   * The key of each deploy is {@code deploy/<vm>/<uuid>/<version>}.
   */
  public Decision decide(Snapshot snapshot, Planner planner) {
    List<Vm> pending = new ArrayList<>();
    java.util.Map<String, String> waiting = new java.util.LinkedHashMap<>();
    for (Vm vm : snapshot.pending()) {
      if (planner.isBusy(vm.name())) {
        continue;
      }
      String before = notRunning(snapshot, vm);
      if (before != null) {
        waiting.put(vm.name(), "waits for " + before + " to run first (dependsOn)");
      } else {
        pending.add(vm);
      }
    }
    if (pending.isEmpty()) {
      return new Decision(new Plan(Origin.SCHEDULER, snapshot.cycle(), List.of(), notes(waiting)), List.of(), waiting);
    }
    PlacementResult result = scheduler.place(snapshot, pending);
    List<Action> deploys = new ArrayList<>(result.placements().size());
    for (Placement p : result.placements()) {
      Vm vm = Objects.requireNonNull(snapshot.vm(p.vm()), "placed VMs come from the snapshot");
      // The uuid tells apart a VM created again under the name of a deleted one, whose deploy/<vm>/1 succeeded.
      deploys.add(new Action.DeployVm("deploy/" + vm.name() + "/" + vm.uuid() + "/" + vm.version(), vm.name(), p.host(),
          Cause.of(Origin.SCHEDULER, snapshot.cycle(), p.reason())));
    }
    List<String> notes = notes(waiting);
    for (PlacementReport r : result.unplaced()) {
      notes.add(r.vm() + ": " + r.summary());
    }
    return new Decision(new Plan(Origin.SCHEDULER, snapshot.cycle(), deploys, notes), result.unplaced(), waiting);
  }

  private static List<String> notes(java.util.Map<String, String> waiting) {
    List<String> notes = new ArrayList<>();
    waiting.forEach((vm, why) -> notes.add(vm + ": " + why));
    return notes;
  }

  /**
   * The first VM {@code vm} depends on that does not run yet (with its state), or null: a VM starts
   * after the VMs it depends on. A dependency that no longer exists does not hold it back.
   */
  private static @org.jspecify.annotations.Nullable String notRunning(Snapshot snapshot, Vm vm) {
    Vm dep = snapshot.firstDependency(vm, d -> d.state() != org.corral.model.vm.VmState.RUNNING);
    return dep == null ? null : dep.name() + " (" + dep.state() + ")";
  }

}
