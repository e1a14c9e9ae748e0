package org.corral.policy.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What to do about one service whose checks fail, from what happened to it alone.
 *
 * <p>Failed checks in a row (a healthy check resets them) climb one step every {@code perStep}:
 * after {@code perStep} restart the service; after {@code perStep} more restart the VM; then
 * recreate it on another host; then stop trying and tell administrators. Each step is taken
 * once per streak, in order: a step is never skipped, even when checks went on failing while
 * the one before ran. A service that cannot be restarted by itself (a TCP check with no restart
 * command) starts at the VM.
 *
 * <p>Flapping (the Zaragoza study's supervisor): {@code flapRestarts} restarts made for the
 * service within {@code flapWindow} stop any further restart until {@code flapPause} after the
 * last of them; giving up is still allowed.
 *
 * @param perStep      failed checks in a row before each step (≥ 1)
 * @param flapRestarts restarts within the window that make a service flapping (≥ 2)
 * @param flapWindow   how close together they must be
 * @param flapPause    how long restarts stop after the last of them
 */
public record ServiceEscalation(int perStep, int flapRestarts, Duration flapWindow, Duration flapPause) {
  /** Three failed checks per step; five restarts within a minute pause ten minutes. */
  public static final ServiceEscalation DEFAULT =
      new ServiceEscalation(3, 5, Duration.ofMinutes(1), Duration.ofMinutes(10));

  public ServiceEscalation {
    if (perStep < 1) {
      throw new IllegalArgumentException("perStep must be at least 1, got " + perStep);
    }
    if (flapRestarts < 2) {
      throw new IllegalArgumentException("flapRestarts must be at least 2, got " + flapRestarts);
    }
    if (flapWindow.isNegative() || flapWindow.isZero() || flapPause.isNegative()) {
      throw new IllegalArgumentException("flapWindow must be positive and flapPause not negative");
    }
  }

  /** The escalation's steps, in order; NONE is where a healthy service stands. */
  public enum Step {
    NONE, RESTART_SERVICE, RESTART_VM, RECREATE_ELSEWHERE, GIVE_UP;

    /** True for the steps that restart something (and so count towards flapping). */
    public boolean restarts() {
      return this == RESTART_SERVICE || this == RESTART_VM || this == RECREATE_ELSEWHERE;
    }
  }

  /**
   * What happened to a service.
   *
   * @param failures    failed checks in a row (0 after a healthy one)
   * @param taken       the last step taken in this streak of failures (NONE when none)
   * @param restartable whether the service itself can be restarted
   * @param restarts    when a restart was made for it (service, VM or recreation), any order
   */
  public record History(int failures, Step taken, boolean restartable, List<Instant> restarts) {
    public History {
      restarts = List.copyOf(restarts);
    }

    public static History healthy(boolean restartable) {
      return new History(0, Step.NONE, restartable, List.of());
    }

    /** After a check: a failed one adds to the streak; a healthy one ends it (restart times are kept for flapping). */
    public History checked(boolean failed) {
      return failed ? new History(failures + 1, taken, restartable, restarts) : new History(0, Step.NONE, restartable, restarts);
    }

    /**
     * After {@code step} was taken at {@code at}; a restart is remembered for flapping. Restarts
     * older than {@code keep} are dropped (pass the escalation's flapWindow, so memory stays bounded).
     */
    public History took(Step step, Instant at, Duration keep) {
      List<Instant> kept = new ArrayList<>();
      for (Instant t : restarts) {
        if (!t.isBefore(at.minus(keep))) {
          kept.add(t);
        }
      }
      if (step.restarts()) {
        kept.add(at);
      }
      return new History(failures, step, restartable, kept);
    }
  }

  /** What the loop does now. */
  public enum Action { NOTHING, RESTART_SERVICE, RESTART_VM, RECREATE_ELSEWHERE, GIVE_UP, PAUSED }

  /**
   * The decision, with a reason to journal and, for PAUSED, until when.
   *
   * @param step the escalation step this action is (NONE for NOTHING; the step held back for PAUSED)
   */
  public record Next(Action action, Step step, Instant until, String reason) {}

  public Next next(History h, Instant now) {
    Step due = due(h);
    if (due == Step.NONE) {
      return new Next(Action.NOTHING, Step.NONE, now,
          h.failures() == 0 ? "healthy" : h.failures() + " failed check(s) in a row, next step after " + nextAt(h));
    }
    String why = h.failures() + " failed checks in a row";
    if (due.restarts()) {
      Instant pausedUntil = flappingUntil(h.restarts());
      if (now.isBefore(pausedUntil)) {
        return new Next(Action.PAUSED, due, pausedUntil, "flapping: " + flapRestarts + " restarts within "
            + flapWindow.toSeconds() + " s; no restart before " + pausedUntil);
      }
    }
    return switch (due) {
      case RESTART_SERVICE -> new Next(Action.RESTART_SERVICE, due, now, why + ": restart the service");
      case RESTART_VM -> new Next(Action.RESTART_VM, due, now, why + ": restart the VM");
      case RECREATE_ELSEWHERE -> new Next(Action.RECREATE_ELSEWHERE, due, now, why + ": recreate the VM on another host");
      case GIVE_UP -> new Next(Action.GIVE_UP, due, now, why + ": gave up after restarting the service, the VM and recreating it");
      case NONE -> throw new AssertionError();
    };
  }

  /** The next step not taken yet, when enough checks failed for it; else NONE. */
  private Step due(History h) {
    Step next = after(h.taken(), h.restartable());
    if (next == Step.NONE || h.failures() < threshold(next, h.restartable())) {
      return Step.NONE;
    }
    return next;
  }

  private int nextAt(History h) {
    Step next = after(h.taken(), h.restartable());
    return next == Step.NONE ? Integer.MAX_VALUE : threshold(next, h.restartable());
  }

  private static Step after(Step taken, boolean restartable) {
    return switch (taken) {
      case NONE -> restartable ? Step.RESTART_SERVICE : Step.RESTART_VM;
      case RESTART_SERVICE -> Step.RESTART_VM;
      case RESTART_VM -> Step.RECREATE_ELSEWHERE;
      case RECREATE_ELSEWHERE -> Step.GIVE_UP;
      case GIVE_UP -> Step.NONE;
    };
  }

  /** Failed checks in a row at which {@code step} is due: perStep × its rank among the steps the service has. */
  private int threshold(Step step, boolean restartable) {
    int rank = step.ordinal() - (restartable ? 0 : 1);
    return perStep * rank;
  }

  /**
   * When restarts may start again: {@code flapPause} after the last restart that completed
   * {@code flapRestarts} within {@code flapWindow}; {@link Instant#MIN} when it never flapped.
   */
  public Instant flappingUntil(List<Instant> restarts) {
    List<Instant> sorted = new ArrayList<>(restarts);
    sorted.sort(null);
    for (int i = sorted.size() - 1; i >= flapRestarts - 1; i--) {
      Instant first = sorted.get(i - flapRestarts + 1);
      if (!sorted.get(i).isAfter(first.plus(flapWindow))) {
        return sorted.get(i).plus(flapPause);
      }
    }
    return Instant.MIN;
  }
}
