package org.corral.model.time;

import org.jspecify.annotations.Nullable;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Wall-clock time with one loop thread. The only class besides {@link Seeds} allowed to read
 * the system clock (enforced by an architecture test).
 */
public final class SystemClock implements Clock, AutoCloseable {
  private final ScheduledExecutorService loop;
  private volatile @Nullable Thread loopThread;
  /**
   * Tasks to run as soon as possible, in order, outside the timer heap: with a hundred thousand
   * timers pending (one per running action), putting every hop in the heap made its sifting the
   * loop's largest cost (bench/scale). One drain task at a time runs them, a bounded batch a turn
   * so that due timers are not kept waiting.
   */
  private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> ready = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final java.util.concurrent.atomic.AtomicBoolean draining = new java.util.concurrent.atomic.AtomicBoolean();
  private static final int BATCH = 256;

  public SystemClock(String name) {
    ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      loopThread = t;
      return t;
    });
    ex.setRemoveOnCancelPolicy(true);
    this.loop = ex;
  }

  @Override
  public Instant now() {
    return Instant.now();
  }

  @Override
  public Timer schedule(Duration delay, Runnable task) {
    ScheduledFuture<?> f = loop.schedule(guard(task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public void execute(Runnable task) {
    ready.add(guard(task));
    if (draining.compareAndSet(false, true)) {
      loop.execute(this::drain);
    }
  }

  private void drain() {
    for (int i = 0; i < BATCH; i++) {
      Runnable r = ready.poll();
      if (r == null) {
        break;
      }
      r.run();
    }
    draining.set(false);
    // A task added after the last poll found the flag still set: look again before leaving.
    if (!ready.isEmpty() && draining.compareAndSet(false, true)) {
      loop.execute(this::drain);
    }
  }

  @Override
  public boolean realTime() {
    return true;
  }

  @Override
  public boolean inLoop() {
    return Thread.currentThread() == loopThread;
  }

  /** A task that throws must not kill the loop thread; the error is printed and the loop goes on. */
  private static Runnable guard(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (Throwable t) {
        Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), t);
      }
    };
  }

  @Override
  public void close() {
    loop.shutdownNow();
    if (!inLoop()) {
      // Closed means the loop thread is gone, so that nothing it runs outlives its owner.
      try {
        loop.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
