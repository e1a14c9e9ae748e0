package org.corral.controller.loop;

import org.corral.model.plan.Plan;
import org.corral.model.plan.Planner;
import org.corral.model.snapshot.Snapshot;

/**
 * A loop that decides: each cycle it takes a snapshot, asks its pure policy for a plan and hands
 * the plan to its planner. {@link #plan} is that same decision without the hand-over, for
 * recommend mode ({@code corral plan}): the controller calls it with a recording planner, so what
 * is shown is exactly what the loop would do.
 */
public interface PlanningLoop {
  /** The loop's name, e.g. "scheduler". */
  String name();

  /**
   * The plan this loop would submit for {@code snapshot}, given what {@code planner} says is busy.
   * Changes nothing.
   */
  Plan plan(Snapshot snapshot, Planner planner);
}
