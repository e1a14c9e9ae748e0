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
    loop.execute(guard(task));
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
