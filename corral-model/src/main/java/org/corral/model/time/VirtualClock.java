package org.corral.model.time;

import org.jspecify.annotations.Nullable;
import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * A clock that moves only when told to. {@link #advance} runs every task that falls due, in
 * (time, order of scheduling) order, in the calling thread: a whole simulated day runs
 * deterministically in one call. Tasks may be scheduled from any thread.
 */
public final class VirtualClock implements Clock {
  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private Instant now;
  private long sequence;
  private @Nullable Thread runner;

  public VirtualClock(Instant start) {
    this.now = start;
  }

  /** Starts at 2026-01-01T00:00:00Z, a fixed date so that journals are reproducible. */
  public VirtualClock() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Override
  public synchronized Instant now() {
    return now;
  }

  @Override
  public synchronized Timer schedule(Duration delay, Runnable task) {
    if (delay.isNegative()) {
      delay = Duration.ZERO;
    }
    Task t = new Task(now.plus(delay), sequence++, task);
    queue.add(t);
    return () -> {
      synchronized (VirtualClock.this) {
        t.cancelled = true;
      }
    };
  }

  @Override
  public synchronized boolean inLoop() {
    return runner == Thread.currentThread();
  }

  /** Moves time forward by {@code d}, running every task due until then. */
  public void advance(Duration d) {
    Instant until;
    synchronized (this) {
      until = now.plus(d);
    }
    runUntil(until);
    synchronized (this) {
      if (now.isBefore(until)) {
        now = until;
      }
    }
  }

  /** Runs the tasks due now (including tasks they schedule with no delay), without moving time. */
  public void runDue() {
    runUntil(now());
  }

  /**
   * Advances in steps of {@code step} until {@code condition} holds or {@code max} has passed.
   * Returns whether the condition held.
   */
  public boolean advanceUntil(BooleanSupplier condition, Duration step, Duration max) {
    Instant limit = now().plus(max);
    runDue();
    while (!condition.getAsBoolean()) {
      if (!now().isBefore(limit)) {
        return false;
      }
      advance(step);
    }
    return true;
  }

  /** Number of tasks waiting (cancelled ones included until they come due). */
  public synchronized int queued() {
    return queue.size();
  }

  private void runUntil(Instant until) {
    while (true) {
      Task t;
      synchronized (this) {
        Task head = queue.peek();
        if (head == null || head.at.isAfter(until)) {
          return;
        }
        queue.poll();
        if (head.cancelled) {
          continue;
        }
        if (head.at.isAfter(now)) {
          now = head.at;
        }
        t = head;
        runner = Thread.currentThread();
      }
      try {
        t.task.run();
      } finally {
        synchronized (this) {
          runner = null;
        }
      }
    }
  }

  private static final class Task implements Comparable<Task> {
    final Instant at;
    final long seq;
    final Runnable task;
    boolean cancelled;

    Task(Instant at, long seq, Runnable task) {
      this.at = at;
      this.seq = seq;
      this.task = task;
    }

    @Override
    public int compareTo(Task o) {
      int c = at.compareTo(o.at);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }
}
