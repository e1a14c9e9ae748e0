package org.corral.policy.consolidation;

import java.util.Locale;

/** MAD(s): threshold 1 − s·MAD, the median absolute deviation of the history from its median (no scaling constant). */
public final class MedianAbsoluteDeviation extends AdaptiveThreshold {
  public MedianAbsoluteDeviation(double safety) {
    super(safety);
  }

  @Override
  String family() {
    return "mad";
  }

  @Override
  double spread(double[] h, StringBuilder numbers) {
    double mad = Stats.mad(h);
    numbers.append(String.format(Locale.ROOT, "MAD %.3f", mad));
    return mad;
  }
}
