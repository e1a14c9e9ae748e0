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
  private Consolidation consolidation;
  /** Volatile: API threads read it (GET /optimizer); only the loop writes it. */
  private volatile OptimizerSettings settings;
  private Set<String> lastNotes = Set.of();

  public OptimizerLoop(Clock clock, long seed, ControllerState state, Planner planner, Consolidation consolidation,
      OptimizerSettings settings) {
    super("optimizer", clock, settings.period(), seed);
    this.state = state;
    this.planner = planner;
    this.consolidation = consolidation;
    this.settings = settings;
  }

  /** The settings in force: readable from any thread. */
  public OptimizerSettings settings() {
    return settings;
  }

  /** Takes new settings from the next cycle on (the period too). Call on the loop. */
  public void update(OptimizerSettings s, Consolidation c) {
    this.settings = s;
    this.consolidation = c;
    period(s.period());
    lastNotes = Set.of();
  }

  /**
   * Takes new automation levels (the default's or a group's) from the next cycle on, keeping the
   * consolidation (and what it remembers) and the period. Call on the loop.
   */
  public void updateLevels(OptimizerSettings s) {
    if (!s.consolidation().equals(settings.consolidation()) || !s.period().equals(settings.period())) {
      throw new IllegalArgumentException("only automation levels change here; use update(settings, consolidation)");
    }
    this.settings = s;
    lastNotes = Set.of();
  }

  /** True when no host can run above RECOMMEND: cycles then only cost a snapshot when asked. */
  private boolean nothingApplies() {
    if (settings.automation() == Automation.FULL || settings.automation() == Automation.PARTIAL) {
      return false;
    }
    return settings.groups().stream().noneMatch(g -> g.automation() == Automation.FULL || g.automation() == Automation.PARTIAL);
  }

  @Override
  protected void cycle(long cycle, long seed) {
    if (nothingApplies()) {
      return; // recommend mode runs only when asked (Controller.recommend)
    }
    Snapshot snap = state.snapshot(cycle, seed);
    Plan plan = plan(snap, planner);
    List<Action> allowed = new ArrayList<>();
    for (Action a : plan.actions()) {
      if (applies(a, snap)) {
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

  /**
   * True when the level of every host {@code a} touches lets it run: FULL runs everything, PARTIAL
   * only migrations; a migration runs at the more cautious of its two hosts' levels.
   */
  private boolean applies(Action a, Snapshot s) {
    List<String> hosts = switch (a) {
      case Action.MigrateVm m -> List.of(m.from(), m.to());
      case Action.PowerOffHost p -> List.of(p.host());
      case Action.PowerOnHost p -> List.of(p.host());
      default -> List.of();
    };
    for (String name : hosts) {
      var h = s.host(name);
      Automation level = h == null ? settings.automation() : settings.automationOf(h);
      boolean ok = level == Automation.FULL || (level == Automation.PARTIAL && a instanceof Action.MigrateVm);
      if (!ok) {
        return false;
      }
    }
    return !hosts.isEmpty();
  }

  @Override
  public Plan plan(Snapshot snapshot, Planner recorder) {
    if (settings.automation() == Automation.OFF && settings.groups().isEmpty()) {
      return Plan.of(Origin.OPTIMIZER, snapshot.cycle(), List.of());
    }
    return consolidation.decide(snapshot, recorder);
  }
}
