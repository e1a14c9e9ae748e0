package org.corral.controller.loop;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.corral.controller.OptimizerSettings;
import org.corral.controller.OptimizerSettings.Automation;
import org.corral.controller.state.ControllerState;
import org.corral.model.journal.EntryKind;
import org.corral.model.journal.SubjectKind;
import org.corral.model.plan.Action;
import org.corral.model.plan.Cause;
import org.corral.model.plan.Origin;
import org.corral.model.plan.Plan;
import org.corral.model.plan.Planner;
import org.corral.model.snapshot.Snapshot;
import org.corral.model.time.Clock;
import org.corral.policy.consolidation.Consolidation;

/**
 * The energy optimizer: snapshot → {@link Consolidation} (pure) → plan → planner, as far as the
 * automation level allows (RECOMMEND submits nothing, PARTIAL only migrations, FULL everything).
 * What it chose not to do (a note in the plan: no room, a cap reached) is journaled once, when it
 * first appears, not every cycle.
 */
public final class OptimizerLoop extends Loop implements PlanningLoop {
  private final ControllerState state;
  private final Planner planner;
  private final Consolidation consolidation;
  private final Automation automation;
  private Set<String> lastNotes = Set.of();

  public OptimizerLoop(Clock clock, long seed, ControllerState state, Planner planner, Consolidation consolidation,
      OptimizerSettings settings) {
    super("optimizer", clock, settings.period(), seed);
    this.state = state;
    this.planner = planner;
    this.consolidation = consolidation;
    this.automation = settings.automation();
  }

  public Automation automation() {
    return automation;
  }

  @Override
  protected void cycle(long cycle, long seed) {
    if (automation == Automation.OFF || automation == Automation.RECOMMEND) {
      return; // recommend mode runs only when asked (Controller.recommend)
    }
    Plan plan = plan(state.snapshot(cycle, seed), planner);
    List<Action> allowed = new ArrayList<>();
    for (Action a : plan.actions()) {
      if (automation == Automation.FULL || a instanceof Action.MigrateVm) {
        allowed.add(a);
      }
    }
    planner.submit(new Plan(Origin.OPTIMIZER, cycle, allowed, plan.notes()));
    journalNewNotes(plan, cycle);
  }

  private void journalNewNotes(Plan plan, long cycle) {
    Set<String> now = new HashSet<>(plan.notes());
    for (String note : plan.notes()) {
      if (!lastNotes.contains(note)) {
        state.tx().journal(EntryKind.OPTIMIZER_NOTE, SubjectKind.CONTROLLER, "optimizer", null, null, null,
            Cause.of(Origin.OPTIMIZER, cycle, "chose not to act"), note).commit();
      }
    }
    lastNotes = now;
  }

  @Override
  public Plan plan(Snapshot snapshot, Planner recorder) {
    if (automation == Automation.OFF) {
      return Plan.of(Origin.OPTIMIZER, snapshot.cycle(), List.of());
    }
    return consolidation.decide(snapshot, recorder);
  }
}
