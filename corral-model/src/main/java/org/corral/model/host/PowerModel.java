package org.corral.model.host;

import java.util.List;
import org.corral.model.InvalidInputException;

/**
 * Electrical power drawn by a host as a function of its CPU utilisation: an 11-point table at
 * 0 %, 10 %, … 100 % (SPECpower style), linearly interpolated, plus the draw when switched off
 * (BMC and standby, often 5-10 W).
 */
public record PowerModel(List<Double> watts, double offWatts) {
  public PowerModel {
    // Not contains(null): immutable lists throw on that question.
    if (watts == null || watts.stream().anyMatch(java.util.Objects::isNull)) {
      throw new InvalidInputException("powerModel.watts", "is missing or holds an empty value", "list 11 numbers, in watts");
    }
    watts = List.copyOf(watts);
    if (watts.size() != 11) {
      throw new InvalidInputException("powerModel.watts", "needs 11 values (0%,10%..100%), got " + watts.size(),
          "give idle and max watts instead, or a full SPECpower table");
    }
    for (int i = 0; i < 11; i++) {
      if (watts.get(i) < 0 || (i > 0 && watts.get(i) < watts.get(i - 1))) {
        throw new InvalidInputException("powerModel.watts[" + i + "]", "must be ≥ 0 and not below the previous value",
            "list watts from 0% to 100% utilisation in rising order");
      }
    }
    if (offWatts < 0) {
      throw new InvalidInputException("powerModel.offWatts", "must be ≥ 0", "give the standby draw in watts, e.g. 5");
    }
  }

  /** A straight line from {@code idle} to {@code max} watts. */
  /**
   * What Corral assumes for a host that declares no power model: a typical 1U server, 100 W idle
   * and 250 W flat out. Every figure derived from it says so (the energy report's source).
   */
  public static final PowerModel TYPICAL = linear(100, 250);

  public static PowerModel linear(double idle, double max) {
    if (max < idle) {
      throw new InvalidInputException("powerModel.maxWatts", "is below idleWatts", "max must be ≥ idle");
    }
    Double[] w = new Double[11];
    for (int i = 0; i <= 10; i++) {
      w[i] = idle + (max - idle) * i / 10.0;
    }
    return new PowerModel(List.of(w), 0);
  }

  /** Watts at {@code utilisation} in [0, 1] (clamped). */
  public double wattsAt(double utilisation) {
    double u = Math.max(0, Math.min(1, utilisation)) * 10;
    int lo = (int) u; // u is in [0, 10]: the cast is the floor
    if (lo >= 10) {
      return watts.get(10);
    }
    double frac = u - lo;
    return watts.get(lo) + (watts.get(lo + 1) - watts.get(lo)) * frac;
  }

  public double idleWatts() {
    return watts.get(0);
  }

  public double maxWatts() {
    return watts.get(10);
  }
}
