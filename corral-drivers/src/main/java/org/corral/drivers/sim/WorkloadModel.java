package org.corral.drivers.sim;

import java.time.Duration;
import java.util.List;
import org.corral.model.InvalidInputException;

/**
 * The CPU demand of one simulated domain over time, as a share of its vCPUs (0 = idle, 1 = every
 * vCPU busy). Time counts from the moment the domain's start completed; live migration and
 * reboot do not reset it.
 */
public sealed interface WorkloadModel permits WorkloadModel.Constant, WorkloadModel.Step, WorkloadModel.Trace {

  /** Demand at {@code sinceStart} after the domain started, in [0, 1]; negative times count as zero. */
  double utilisationAt(Duration sinceStart);

  static WorkloadModel constant(double utilisation) {
    return new Constant(utilisation);
  }

  /**
   * A working day, repeating every 24 h from the domain's start: {@code night} from 22:00 to
   * 06:00, rising to {@code day} by 09:00, {@code day} until 17:00, falling back by 21:00 (hourly
   * points, interpolated), as a looping {@link Trace}.
   */
  static WorkloadModel diurnal(double night, double day) {
    checkShare("workload.night", night);
    checkShare("workload.day", day);
    double[] shape = {0, 0, 0, 0, 0, 0, 0.25, 0.5, 0.75, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0.75, 0.5, 0.25, 0, 0, 0};
    List<Double> values = new java.util.ArrayList<>();
    for (double f : shape) {
      values.add(night + (day - night) * f);
    }
    return new Trace(values, Duration.ofHours(1), true);
  }

  /** The same demand all the time. */
  record Constant(double utilisation) implements WorkloadModel {
    public Constant {
      checkShare("workload.utilisation", utilisation);
    }

    @Override
    public double utilisationAt(Duration sinceStart) {
      return utilisation;
    }
  }

  /** From {@code from} after the start (until the next level), the demand is {@code utilisation}. */
  record Level(Duration from, double utilisation) {
    public Level {
      if (from == null || from.isNegative()) {
        throw new InvalidInputException("workload.steps[].from", "must be a duration ≥ 0, got " + from,
            "give the offset from the domain's start, e.g. PT10M");
      }
      checkShare("workload.steps[].utilisation", utilisation);
    }
  }

  /** A piecewise constant demand: each level holds until the next one begins. */
  record Step(List<Level> steps) implements WorkloadModel {
    public Step {
      if (steps == null || steps.isEmpty()) {
        throw new InvalidInputException("workload.steps", "is empty", "give at least one level, starting at PT0S");
      }
      steps = List.copyOf(steps);
      if (!steps.get(0).from().isZero()) {
        throw new InvalidInputException("workload.steps[0].from", "must be PT0S, got " + steps.get(0).from(),
            "start the first level at the domain's start");
      }
      for (int i = 1; i < steps.size(); i++) {
        if (steps.get(i).from().compareTo(steps.get(i - 1).from()) <= 0) {
          throw new InvalidInputException("workload.steps[" + i + "].from", "is not after the previous level's",
              "list levels in strictly increasing order of 'from'");
        }
      }
    }

    @Override
    public double utilisationAt(Duration sinceStart) {
      int lo = 0;
      int hi = steps.size() - 1;
      while (lo < hi) { // last level whose start is ≤ sinceStart
        int mid = (lo + hi + 1) >>> 1;
        if (steps.get(mid).from().compareTo(sinceStart) <= 0) {
          lo = mid;
        } else {
          hi = mid - 1;
        }
      }
      return steps.get(lo).utilisation();
    }
  }

  /**
   * A measured trace (e.g. a PlanetLab 5-minute trace): {@code values[i]} at {@code i × interval},
   * linearly interpolated in between as CloudSim does. Without {@code loop} the last value holds
   * after the end; with it the trace repeats, interpolating from the last value back to the first.
   */
  record Trace(List<Double> values, Duration interval, boolean loop) implements WorkloadModel {
    public Trace {
      if (values == null || values.isEmpty()) {
        throw new InvalidInputException("workload.values", "is empty", "give at least one utilisation value in [0, 1]");
      }
      values = List.copyOf(values);
      for (int i = 0; i < values.size(); i++) {
        checkShare("workload.values[" + i + "]", values.get(i));
      }
      if (interval == null || interval.isZero() || interval.isNegative()) {
        throw new InvalidInputException("workload.interval", "must be a positive duration, got " + interval,
            "give the sampling interval of the trace, e.g. PT5M");
      }
    }

    @Override
    public double utilisationAt(Duration sinceStart) {
      long t = Math.max(0, sinceStart.toNanos());
      long step = interval.toNanos();
      long index = t / step;
      double frac = (double) (t % step) / step;
      int n = values.size();
      if (loop) {
        int i = (int) (index % n);
        return lerp(values.get(i), values.get((i + 1) % n), frac);
      }
      if (index >= n - 1) {
        return values.get(n - 1);
      }
      return lerp(values.get((int) index), values.get((int) index + 1), frac);
    }

    private static double lerp(double a, double b, double frac) {
      return a + (b - a) * frac;
    }
  }

  private static void checkShare(String field, double u) {
    if (!(u >= 0 && u <= 1)) {
      throw new InvalidInputException(field, "must be in [0, 1], got " + u, "give the share of the vCPUs in use, e.g. 0.35");
    }
  }
}
