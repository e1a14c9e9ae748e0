package org.corral.model.plan;

import java.util.List;

/**
 * Where decisions hand their plans (Nomad's Planner). Loops never call the executor directly:
 * the executor is one implementation, {@link RecordingPlanner} another, so that recommend mode
 * ({@code corral plan}), the simulator and policy tests run the real decision code and apply
 * nothing, instead of a second code path.
 *
 * <p>Not thread-safe unless an implementation says so: the controller calls it on its loop.
 */
public interface Planner {
  /**
   * Takes every action of {@code plan}. An action whose intent (its key) is already queued,
   * running or done is skipped; one whose last attempt was rejected or failed is taken again.
   *
   * @return the keys of the actions taken, in plan order
   */
  List<String> submit(Plan plan);

  /**
   * True when an action on {@code subject} (a VM or host name) is queued or running, so a loop
   * should not plan anything else for it this cycle.
   */
  boolean isBusy(String subject);
}
