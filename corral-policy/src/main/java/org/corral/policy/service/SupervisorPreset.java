package org.corral.policy.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.corral.policy.service.ServiceEscalation.Action;
import org.corral.policy.service.ServiceEscalation.History;
import org.corral.policy.service.ServiceEscalation.Next;

/**
 * A process supervisor's parameters as one named preset over {@link ServiceEscalation} (the same
 * escalation and flapping rule, not a second supervisor), with what the escalation does not
 * hold: how often services are polled, how hard one start is tried, and how many flapping pauses
 * are allowed before giving up. Pure, on explicit instants.
 *
 * <p>{@link #ZARAGOZA}, the Zaragoza study's supervisor: poll every 30 s; a start must succeed
 * within 8 tries in 2 minutes; after 5 starts or restarts in 1 minute stop for 10 minutes; at
 * most 5 such pauses in 2 hours, then give up.
 *
 * @param name        how a spec names it ({@code supervisor: zaragoza})
 * @param poll        how often a service is checked
 * @param startTries  attempts one start may take (≥ 1)
 * @param startWithin the time those attempts must fit in: tried every {@code startWithin / startTries}
 * @param escalation  failed checks per step and flapping: every start attempt counts as a restart
 * @param maxPauses   flapping pauses allowed within {@code pauseWindow}; the next flap gives up
 * @param pauseWindow the window those pauses are counted in
 */
public record SupervisorPreset(String name, Duration poll, int startTries, Duration startWithin, ServiceEscalation escalation, int maxPauses,
    Duration pauseWindow) {
  /** The Zaragoza study's supervisor (MISSION.md §1): restart at the first failed poll. */
  public static final SupervisorPreset ZARAGOZA = new SupervisorPreset("zaragoza", Duration.ofSeconds(30), 8, Duration.ofMinutes(2),
      new ServiceEscalation(1, 5, Duration.ofMinutes(1), Duration.ofMinutes(10)), 5, Duration.ofHours(2));

  /** Names a spec may give, each with its preset; {@code study} is another name for {@code zaragoza}. */
  public static final List<String> NAMES = List.of("zaragoza", "study");

  public SupervisorPreset {
    if (poll.isNegative() || poll.isZero() || startWithin.isNegative() || startWithin.isZero() || pauseWindow.isNegative()) {
      throw new IllegalArgumentException("poll and startWithin must be positive, pauseWindow not negative");
    }
    if (startTries < 1 || maxPauses < 0) {
      throw new IllegalArgumentException("startTries must be at least 1 and maxPauses not negative");
    }
  }

  /** The preset a spec names (case-insensitive), or empty. */
  public static Optional<SupervisorPreset> named(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "zaragoza", "study" -> Optional.of(ZARAGOZA);
      default -> Optional.empty();
    };
  }

  /** The time between two attempts of one start (15 s for the study's 8 tries in 2 minutes). */
  public Duration startInterval() {
    return startWithin.dividedBy(startTries);
  }

  /**
   * After a start attempt failed: when to try again, or empty when the start failed for good
   * ({@code failedTries} attempts made, or the next would fall past {@code startWithin} after
   * the first).
   *
   * @param failedTries attempts made so far, all failed (≥ 1)
   * @param firstTry    when the first of them was made
   * @param now         when the last one failed
   */
  public Optional<Instant> retryStart(int failedTries, Instant firstTry, Instant now) {
    Instant next = now.plus(startInterval());
    if (failedTries >= startTries || next.isAfter(firstTry.plus(startWithin))) {
      return Optional.empty();
    }
    return Optional.of(next);
  }

  /**
   * The escalation's decision with the pause budget: a flapping pause that would be the
   * {@code maxPauses + 1}-th within {@code pauseWindow} (counting {@code pauses}, when earlier
   * pauses began, and this one) gives up instead.
   *
   * @param pauses when each earlier pause began (the restart that made the service flap), any order
   */
  public Next next(History h, List<Instant> pauses, Instant now) {
    Next n = escalation.next(h, now);
    if (n.action() != Action.PAUSED) {
      return n;
    }
    Instant began = pauseBegan(n);
    List<Instant> counted = new ArrayList<>();
    for (Instant p : pauses) {
      if (!p.isBefore(now.minus(pauseWindow)) && !p.equals(began)) {
        counted.add(p);
      }
    }
    if (counted.size() + 1 > maxPauses) {
      return new Next(Action.GIVE_UP, ServiceEscalation.Step.GIVE_UP, now, "flapping again after " + counted.size() + " pauses within "
          + pauseWindow.toMinutes() + " min (at most " + maxPauses + "): gave up");
    }
    return n;
  }

  /**
   * Whether one more attempt of a start may be made now: RESTART_SERVICE, or PAUSED when the
   * attempts so far ({@code restarts}, each start or restart counts) make the service flap, or
   * GIVE_UP when that pause is over the budget.
   */
  public Next startAttempt(List<Instant> restarts, List<Instant> pauses, Instant now) {
    return next(new History(escalation.perStep(), ServiceEscalation.Step.NONE, true, restarts), pauses, now);
  }

  /** When the pause a PAUSED decision reports began: its end less the escalation's pause. */
  public Instant pauseBegan(Next paused) {
    return paused.until().minus(escalation.flapPause());
  }
}
