package org.corral.policy.consolidation;

import java.util.Arrays;
import java.util.Locale;

/**
 * IQR(s): the threshold adapts to how much the host's utilisation varies: 1 − s·(q3 − q1) over
 * the history. With fewer than 12 samples it falls back to THR(0.7). Quartiles as CloudSim takes
 * them: sorted H, q1 = H[round(0.25(n+1)) − 1], q3 = H[round(0.75(n+1)) − 1].
 */
public final class InterquartileRange implements OverloadDetector {
  static final int MIN_HISTORY = 12;
  private final double safety;
  private final StaticThreshold fallback = new StaticThreshold(0.7);

  public InterquartileRange(double safety) {
    if (!(safety >= 0)) {
      throw new IllegalArgumentException("safety parameter must be >= 0, got " + safety);
    }
    this.safety = safety;
  }

  @Override
  public String name() {
    return "iqr-" + Format.number(safety);
  }

  @Override
  public Detection test(HostLoad load) {
    int n = load.length();
    if (n < MIN_HISTORY) {
      Detection d = fallback.test(load);
      return Detection.of(d.overloaded(), d.reason() + ", " + name() + " needs " + MIN_HISTORY + " samples, has " + n);
    }
    double[] h = load.history();
    Arrays.sort(h);
    double q1 = h[(int) Math.round(0.25 * (n + 1)) - 1];
    double q3 = h[(int) Math.round(0.75 * (n + 1)) - 1];
    double threshold = 1 - safety * (q3 - q1);
    boolean over = load.demand() > threshold;
    return Detection.of(over, String.format(Locale.ROOT, "demand %.2f %s threshold %.2f (%s: q1 %.2f, q3 %.2f)",
        load.demand(), over ? ">" : "<=", threshold, name(), q1, q3));
  }
}
