package org.corral.policy.recovery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * When a VM that should run stopped on its own (its guest crashed, or it was shut off outside
 * Corral): restart it in place first, then on another host, at most {@code max} times within
 * {@code window}, each restart after the previous waiting {@code backoff} × 2^(n-1); beyond that
 * it goes FAILED and stays there until a user starts it.
 *
 * @param max     restarts within the window before giving up (≥ 1)
 * @param window  how far back restarts count
 * @param backoff the wait before the second restart; doubled for each one after
 */
public record CrashRestarts(int max, Duration window, Duration backoff) {
  /** Three restarts in ten minutes, 10 s apart then 20 s. */
  public static final CrashRestarts DEFAULT = new CrashRestarts(3, Duration.ofMinutes(10), Duration.ofSeconds(10));

  public CrashRestarts {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, got " + max);
    }
    if (window.isNegative() || window.isZero() || backoff.isNegative()) {
      throw new IllegalArgumentException("window must be positive and backoff not negative");
    }
  }

  /** What to do now about a VM that stopped on its own. */
  public enum Step { IN_PLACE, ELSEWHERE, WAIT, GIVE_UP }

  /** The step and, for WAIT, until when. */
  public record Next(Step step, Instant until) {}

  /**
   * @param restarts when this VM was restarted before (any order); those older than the window
   *                 do not count
   */
  public Next next(List<Instant> restarts, Instant now) {
    return next(restarts, List.of(), now);
  }

  /**
   * @param restarts when this VM was restarted before (any order), refused ones included
   * @param refused  those of {@code restarts} that never started it (the host refused, e.g. it
   *                 cannot take the disk's storage lease): the VM did not stop on its own again,
   *                 so they do not count towards giving up; they do count for the backoff (at most
   *                 {@code window} apart), so a host that keeps refusing is not hammered
   */
  public Next next(List<Instant> restarts, List<Instant> refused, Instant now) {
    Instant since = now.minus(window);
    int n = 0;
    Instant last = Instant.MIN;
    for (Instant t : restarts) {
      if (!t.isBefore(since)) {
        n++;
        if (t.isAfter(last)) {
          last = t;
        }
      }
    }
    int ran = n - (int) refused.stream().filter(t -> !t.isBefore(since)).count();
    if (n == 0) {
      return new Next(Step.IN_PLACE, now);
    }
    if (ran >= max) {
      return new Next(Step.GIVE_UP, now);
    }
    Duration wait = backoff.multipliedBy(1L << Math.min(20, n - 1));
    Instant due = last.plus(wait.compareTo(window) > 0 ? window : wait);
    return now.isBefore(due) ? new Next(Step.WAIT, due) : new Next(Step.ELSEWHERE, now);
  }
}
