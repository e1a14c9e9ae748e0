package org.corral.model.time;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * A view of another clock whose tasks can all be dropped at once with {@link #halt()}: the
 * lifetime of one controller process. A simulation (or a crash-recovery test) runs the lab on
 * the parent clock and a controller on a scope; halting the scope is a {@code kill -9}: nothing
 * the controller scheduled runs again, while the lab's time goes on.
 */
public final class ScopedClock implements Clock {
  private final Clock parent;
  private final Set<Timer> live = new HashSet<>();
  private boolean halted;

  public ScopedClock(Clock parent) {
    this.parent = parent;
  }

  @Override
  public Instant now() {
    return parent.now();
  }

  @Override
  public Timer schedule(Duration delay, Runnable task) {
    synchronized (this) {
      if (halted) {
        return () -> {};
      }
    }
    Timer[] self = new Timer[1];
    Timer t = parent.schedule(delay, () -> {
      synchronized (this) {
        if (halted) {
          return;
        }
        live.remove(self[0]);
      }
      task.run();
    });
    self[0] = t;
    synchronized (this) {
      live.add(t);
    }
    return () -> {
      synchronized (this) {
        live.remove(t);
      }
      t.cancel();
    };
  }

  @Override
  public boolean inLoop() {
    return parent.inLoop();
  }

  @Override
  public boolean realTime() {
    return parent.realTime();
  }

  /** Drops every pending task and ignores all future ones. */
  public void halt() {
    Set<Timer> toCancel;
    synchronized (this) {
      halted = true;
      toCancel = new HashSet<>(live);
      live.clear();
    }
    toCancel.forEach(Timer::cancel);
  }

}
