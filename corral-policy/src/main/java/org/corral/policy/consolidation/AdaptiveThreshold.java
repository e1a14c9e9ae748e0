package org.corral.policy.consolidation;

import java.util.Locale;

/**
 * A detector whose threshold adapts to the spread of the host's history: 1 − s × spread. With
 * fewer than 12 samples there is no spread to trust and THR(0.7) decides (CloudSim's rule).
 */
abstract sealed class AdaptiveThreshold implements OverloadDetector permits InterquartileRange, MedianAbsoluteDeviation {
  static final int MIN_HISTORY = 12;
  private final double safety;
  private final StaticThreshold fallback = new StaticThreshold(0.7);

  AdaptiveThreshold(double safety) {
    if (!(safety >= 0)) {
      throw new IllegalArgumentException("safety parameter must be >= 0, got " + safety);
    }
    this.safety = safety;
  }

  /** The family's prefix, e.g. "iqr". */
  abstract String family();

  /** The history's spread; {@code numbers} receives the figures behind it for the reason. */
  abstract double spread(double[] history, StringBuilder numbers);

  @Override
  public final String name() {
    return family() + "-" + Format.number(safety);
  }

  @Override
  public final Detection test(HostLoad load) {
    int n = load.length();
    if (n < MIN_HISTORY) {
      Detection d = fallback.test(load);
      return Detection.of(d.overloaded(), () -> d.reason() + ", " + name() + " needs " + MIN_HISTORY + " samples, has " + n);
    }
    StringBuilder numbers = new StringBuilder();
    double threshold = 1 - safety * spread(load.history(), numbers);
    boolean over = load.demand() > threshold;
    double demand = load.demand();
    return Detection.of(over, () -> String.format(Locale.ROOT, "demand %.2f %s threshold %.2f (%s: %s)", demand,
        over ? ">" : "<=", threshold, name(), numbers));
  }
}
