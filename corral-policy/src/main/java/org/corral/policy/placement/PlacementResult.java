package org.corral.policy.placement;

import java.util.ArrayList;
import java.util.List;
import org.corral.model.plan.Action;
import org.corral.model.plan.Origin;
import org.corral.model.plan.Plan;

/**
 * The outcome of one {@link Scheduler#place} call: every input VM is in exactly one of the lists.
 *
 * @param placements deploy actions, in the order the VMs were given
 * @param unplaced   a report for each VM no host could take, in input order
 */
public record PlacementResult(List<Action.DeployVm> placements, List<PlacementReport> unplaced) {
  public PlacementResult {
    placements = List.copyOf(placements);
    unplaced = List.copyOf(unplaced);
  }

  /** The placements as a scheduler plan; each unplaced VM becomes a note "vm: summary". */
  public Plan toPlan(long cycle) {
    List<String> notes = new ArrayList<>(unplaced.size());
    for (PlacementReport r : unplaced) {
      notes.add(r.vm() + ": " + r.summary());
    }
    return new Plan(Origin.SCHEDULER, cycle, new ArrayList<Action>(placements), notes);
  }
}
