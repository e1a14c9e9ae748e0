package org.corral.controller.loop;

import java.time.Duration;
import org.corral.model.time.Clock;
import org.corral.model.time.Seeds;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A periodic loop on the injected clock with a cycle counter and a per-cycle seed. {@link #wake()}
 * runs a cycle as soon as possible (coalesced with any already due). A cycle that throws is
 * logged with its cycle number and the loop goes on.
 */
public abstract class Loop {
  private static final Logger LOG = LoggerFactory.getLogger(Loop.class);
  protected final Clock clock;
  private final String name;
  private Duration period;
  private final long rootSeed;
  private long cycle;
  private boolean running;
  private boolean wakePending;
  private Clock.@Nullable Timer next;

  protected Loop(String name, Clock clock, Duration period, long rootSeed) {
    this.name = name;
    this.clock = clock;
    this.period = period;
    this.rootSeed = rootSeed;
  }

  public String name() {
    return name;
  }

  public long cycles() {
    return cycle;
  }

  /** From the next cycle on, runs every {@code p}. Call on the loop. */
  protected void period(Duration p) {
    this.period = p;
  }

  /** Starts the loop; the first cycle runs at once. Call on the loop thread. */
  public void start() {
    running = true;
    schedule(Duration.ZERO);
  }

  public void stop() {
    running = false;
    if (next != null) {
      next.cancel();
    }
  }

  /** Asks for a cycle as soon as possible. Safe from any thread. */
  public void wake() {
    clock.execute(() -> {
      if (running && !wakePending) {
        wakePending = true;
        if (next != null) {
          next.cancel();
        }
        schedule(Duration.ZERO);
      }
    });
  }

  private void schedule(Duration d) {
    next = clock.schedule(d, this::runCycle);
  }

  private void runCycle() {
    if (!running) {
      return;
    }
    wakePending = false;
    long n = ++cycle;
    try {
      cycle(n, Seeds.derive(rootSeed, name, n));
    } catch (RuntimeException e) {
      LOG.error("{} cycle {} failed", name, n, e);
    }
    if (running && !wakePending) {
      schedule(period);
    }
  }

  /** One pass. Runs on the loop. */
  protected abstract void cycle(long cycle, long seed);

  /** A loop that runs {@code pass} every {@code period} (bookkeeping such as energy counters). */
  public static Loop every(String name, Clock clock, java.time.Duration period, long seed, Runnable pass) {
    return new Loop(name, clock, period, seed) {
      @Override
      protected void cycle(long cycle, long s) {
        pass.run();
      }
    };
  }
}
