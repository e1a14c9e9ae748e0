package org.corral.controller.connection;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.corral.drivers.DriverException;
import org.corral.model.time.Clock;

/** Async helpers whose time comes from the injected clock. */
public final class Stages {
  private Stages() {}

  /**
   * Fails with {@link DriverException.Kind#TIMEOUT} if {@code stage} is not done within {@code d}
   * of clock time. Completion is delivered on the clock's loop.
   */
  public static <T> CompletionStage<T> within(CompletionStage<T> stage, Duration d, Clock clock, String what) {
    CompletableFuture<T> out = new CompletableFuture<>();
    Clock.Timer timer = clock.schedule(d, () -> out.completeExceptionally(
        new DriverException(DriverException.Kind.TIMEOUT, what + " did not finish within " + human(d))));
    stage.whenComplete((v, e) -> clock.execute(() -> {
      timer.cancel();
      if (e != null) {
        out.completeExceptionally(DriverException.of(e));
      } else {
        out.complete(v);
      }
    }));
    return out;
  }

  /** Runs {@code s} on the loop and completes with its result. */
  public static <T> CompletionStage<T> onLoop(Clock clock, Supplier<T> s) {
    CompletableFuture<T> out = new CompletableFuture<>();
    clock.execute(() -> {
      try {
        out.complete(s.get());
      } catch (RuntimeException e) {
        out.completeExceptionally(e);
      }
    });
    return out;
  }

  /** Completes after {@code d} of clock time. */
  public static CompletionStage<Void> delay(Clock clock, Duration d) {
    CompletableFuture<Void> out = new CompletableFuture<>();
    clock.schedule(d, () -> out.complete(null));
    return out;
  }

  public static String human(Duration d) {
    if (d.toMillis() % 1000 != 0) {
      return d.toMillis() + "ms";
    }
    long s = d.toSeconds();
    return s >= 120 && s % 60 == 0 ? (s / 60) + "min" : s + "s";
  }
}
