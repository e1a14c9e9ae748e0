package org.corral.cli;

import java.time.Duration;
import java.time.Instant;
import org.corral.model.time.Clock;
import org.corral.model.time.VirtualClock;

/**
 * Virtual time that jumps ahead as soon as anything waits on it: scheduling a task moves the
 * clock forward by its delay and runs it at once. A --wait of minutes takes no real time and
 * never sleeps.
 */
final class AutoAdvancingClock implements Clock {
  final VirtualClock clock = new VirtualClock();

  @Override
  public Instant now() {
    return clock.now();
  }

  @Override
  public Timer schedule(Duration delay, Runnable task) {
    Timer t = clock.schedule(delay, task);
    clock.advance(delay);
    return t;
  }

  @Override
  public boolean inLoop() {
    return clock.inLoop();
  }
}
