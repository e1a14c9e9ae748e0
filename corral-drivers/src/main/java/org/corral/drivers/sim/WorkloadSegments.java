package org.corral.drivers.sim;

import java.util.function.LongConsumer;

/**
 * Where a workload changes slope or jumps, so that an integral over time can be cut into pieces
 * on which the demand is linear (and then computed exactly with the trapezoid rule). Times are
 * epoch nanoseconds; {@code origin} is when the domain's workload clock started.
 */
final class WorkloadSegments {
  private WorkloadSegments() {}

  /** Reports each break strictly inside (t0, t1). */
  static void breaks(WorkloadModel m, long origin, long t0, long t1, LongConsumer out) {
    switch (m) {
      case WorkloadModel.Constant c -> { }
      case WorkloadModel.Step s -> {
        for (WorkloadModel.Level level : s.steps()) {
          long at = origin + level.from().toNanos();
          if (at > t0 && at < t1) {
            out.accept(at);
          }
        }
      }
      case WorkloadModel.Trace tr -> {
        long step = tr.interval().toNanos();
        long lastIndex = tr.loop() ? Long.MAX_VALUE : tr.values().size() - 1;
        long k = Math.max(1, Math.floorDiv(t0 - origin, step) + 1);
        for (; k <= lastIndex; k++) {
          long at = origin + k * step;
          if (at >= t1) {
            break;
          }
          if (at > t0) {
            out.accept(at);
          }
        }
      }
    }
  }

  /** Demand just after {@code a}, on a piece [a, b] that has no break inside. */
  static double atStart(WorkloadModel m, long origin, long a) {
    return m.utilisationAt(java.time.Duration.ofNanos(a - origin));
  }

  /** Demand just before {@code b}, on a piece [a, b] that has no break inside. */
  static double atEnd(WorkloadModel m, long origin, long a, long b) {
    return switch (m) {
      case WorkloadModel.Constant c -> c.utilisation();
      case WorkloadModel.Step s -> s.utilisationAt(java.time.Duration.ofNanos(a - origin)); // flat until b
      case WorkloadModel.Trace tr -> tr.utilisationAt(java.time.Duration.ofNanos(b - origin)); // continuous
    };
  }
}
