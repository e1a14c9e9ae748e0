package org.corral.policy.consolidation;

import java.util.Locale;

/** THR(θ): overloaded when the demand exceeds a fixed share of capacity. */
public final class StaticThreshold implements OverloadDetector {
  private final double threshold;

  public StaticThreshold(double threshold) {
    if (!(threshold > 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be in (0, 1], got " + threshold);
    }
    this.threshold = threshold;
  }

  @Override
  public String name() {
    return String.format(Locale.ROOT, "thr-%s", Format.number(threshold));
  }

  @Override
  public Detection test(HostLoad load) {
    boolean over = load.demand() > threshold;
    double demand = load.demand();
    return Detection.of(over, () -> String.format(Locale.ROOT, "demand %.2f %s threshold %.2f (%s)", demand,
        over ? ">" : "<=", threshold, name()));
  }
}
