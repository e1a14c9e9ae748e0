package org.corral.model.plan;

import java.util.List;

/**
 * The output of one decision: actions to run, in order of preference, and notes on what could
 * not be done (a VM with no feasible host, say). A plan with no actions is the normal result of a
 * converged system.
 */
public record Plan(Origin origin, long cycle, List<Action> actions, List<String> notes) {
  public Plan {
    actions = List.copyOf(actions);
    notes = List.copyOf(notes);
  }


  public static Plan of(Origin origin, long cycle, List<? extends Action> actions) {
    return new Plan(origin, cycle, List.copyOf(actions), List.of());
  }

  public boolean isEmpty() {
    return actions.isEmpty();
  }
}
