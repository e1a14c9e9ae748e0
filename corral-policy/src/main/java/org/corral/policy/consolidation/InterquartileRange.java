package org.corral.policy.consolidation;

import java.util.Arrays;
import java.util.Locale;

/**
 * IQR(s): threshold 1 − s·(q3 − q1) over the history. Quartiles as CloudSim takes them: sorted H,
 * q1 = H[round(0.25(n+1)) − 1], q3 = H[round(0.75(n+1)) − 1].
 */
public final class InterquartileRange extends AdaptiveThreshold {
  public InterquartileRange(double safety) {
    super(safety);
  }

  @Override
  String family() {
    return "iqr";
  }

  @Override
  double spread(double[] h, StringBuilder numbers) {
    Arrays.sort(h);
    int n = h.length;
    double q1 = h[(int) Math.round(0.25 * (n + 1)) - 1];
    double q3 = h[(int) Math.round(0.75 * (n + 1)) - 1];
    numbers.append(String.format(Locale.ROOT, "q1 %.2f, q3 %.2f", q1, q3));
    return q3 - q1;
  }
}
