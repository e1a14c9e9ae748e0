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

  /** A scheduled task that can be cancelled (no effect once it has run). */
  interface Timer {
    void cancel();
  }
}
