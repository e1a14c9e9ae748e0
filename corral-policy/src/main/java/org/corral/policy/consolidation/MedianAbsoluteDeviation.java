package org.corral.policy.consolidation;

import java.util.Locale;

/**
 * MAD(s): threshold 1 − s·MAD, with MAD the median absolute deviation of the history from its
 * median (no scaling constant). With fewer than 12 samples it falls back to THR(0.7).
 */
public final class MedianAbsoluteDeviation implements OverloadDetector {
  private final double safety;
  private final StaticThreshold fallback = new StaticThreshold(0.7);

  public MedianAbsoluteDeviation(double safety) {
    if (!(safety >= 0)) {
      throw new IllegalArgumentException("safety parameter must be >= 0, got " + safety);
    }
    this.safety = safety;
  }

  @Override
  public String name() {
    return "mad-" + Format.number(safety);
  }

  @Override
  public Detection test(HostLoad load) {
    int n = load.length();
    if (n < InterquartileRange.MIN_HISTORY) {
      Detection d = fallback.test(load);
      return Detection.of(d.overloaded(), d.reason() + ", " + name() + " needs " + InterquartileRange.MIN_HISTORY
          + " samples, has " + n);
    }
    double mad = Stats.mad(load.history());
    double threshold = 1 - safety * mad;
    boolean over = load.demand() > threshold;
    return Detection.of(over, String.format(Locale.ROOT, "demand %.2f %s threshold %.2f (%s: MAD %.3f)", load.demand(),
        over ? ">" : "<=", threshold, name(), mad));
  }
}
