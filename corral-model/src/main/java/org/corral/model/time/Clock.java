package org.corral.model.time;

import java.time.Duration;
import java.time.Instant;

/**
 * Time and a single-threaded event loop. Tasks given to {@link #schedule} and {@link #execute}
 * run one at a time, in time order, on the clock's loop, so state owned by the controller needs
 * no locks. Any thread may schedule; only the loop runs tasks.
 */
public interface Clock {
  Instant now();

  /** Runs {@code task} on the loop after {@code delay}. */
  Timer schedule(Duration delay, Runnable task);

  /** Runs {@code task} on the loop as soon as possible. */
  default void execute(Runnable task) {
    schedule(Duration.ZERO, task);
  }

  /** True when the calling thread is the loop. */
  boolean inLoop();

  /**
   * True when time is the wall clock's, so that work may be handed to other threads and waited
   * for; false for a virtual clock, whose runs must stay deterministic (everything on one thread).
   */
  default boolean realTime() {
    return false;
  }

  /** A scheduled task that can be cancelled (no effect once it has run). */
  interface Timer {
    void cancel();
  }
}
