package org.corral.model.plan;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A planner that applies nothing: it keeps the plans it is given, in order. A subject is busy when
 * the wrapped view says so (e.g. the executor's queue) or when a plan recorded here already acts
 * on it, so several loops planned in one pass do not claim the same VM twice, exactly as they
 * would not with the executor.
 */
public final class RecordingPlanner implements Planner {
  private final Predicate<String> alreadyBusy;
  private final List<Plan> plans = new ArrayList<>();
  private final Set<String> keys = new HashSet<>();
  private final Set<String> subjects = new HashSet<>();

  /** A planner over an idle system: nothing is busy but what it records. */
  public RecordingPlanner() {
    this(s -> false);
  }

  /** @param alreadyBusy subjects busy before anything is recorded (e.g. {@code executor::isBusy}) */
  public RecordingPlanner(Predicate<String> alreadyBusy) {
    this.alreadyBusy = alreadyBusy;
  }

  @Override
  public List<String> submit(Plan plan) {
    plans.add(plan);
    List<String> taken = new ArrayList<>();
    for (Action a : plan.actions()) {
      if (keys.add(a.key())) {
        subjects.add(a.subject());
        subjects.addAll(a.alsoBusy());
        taken.add(a.key());
      }
    }
    return taken;
  }

  @Override
  public boolean isBusy(String subject) {
    return subjects.contains(subject) || alreadyBusy.test(subject);
  }

  /** Every plan submitted, in order (empty ones included: "nothing to do" is an answer too). */
  public List<Plan> plans() {
    return List.copyOf(plans);
  }

  /** The actions of every plan, in order. */
  public List<Action> actions() {
    List<Action> out = new ArrayList<>();
    for (Plan p : plans) {
      out.addAll(p.actions());
    }
    return out;
  }
}
