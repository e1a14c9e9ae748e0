package org.corral.policy.consolidation;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/** Small statistics on primitive arrays, as the detectors and selectors define them. */
final class Stats {
  private Stats() {}

  /** The usual median: the mean of the two middle values when the count is even. */
  static double median(double[] values) {
    double[] s = values.clone();
    sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  /**
   * Arrays.sort's order (Double.compare: -0.0 before 0.0, NaN last). The detectors sort windows
   * of about 10 samples for every host in every decision, where an insertion sort is several
   * times quicker than Arrays.sort's set-up.
   */
  static void sort(double[] a) {
    if (a.length > 32) {
      Arrays.sort(a);
      return;
    }
    for (int i = 1; i < a.length; i++) {
      double v = a[i];
      int j = i - 1;
      while (j >= 0 && Double.compare(a[j], v) > 0) {
        a[j + 1] = a[j];
        j--;
      }
      a[j + 1] = v;
    }
  }

  /** Median absolute deviation from the median, with no scaling constant. */
  static double mad(double[] values) {
    double m = median(values);
    double[] dev = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      dev[i] = Math.abs(values[i] - m);
    }
    return median(dev);
  }

  /**
   * Weighted least squares of y = a + b·x; returns {a, b}, or null when the points do not fix a
   * line (all weight on one x).
   */
  static double @Nullable [] line(double[] x, double[] y, double[] w) {
    double sw = 0, sx = 0, sy = 0;
    for (int i = 0; i < x.length; i++) {
      sw += w[i];
      sx += w[i] * x[i];
      sy += w[i] * y[i];
    }
    if (sw <= 0) {
      return null;
    }
    double mx = sx / sw, my = sy / sw, sxx = 0, sxy = 0;
    for (int i = 0; i < x.length; i++) {
      sxx += w[i] * (x[i] - mx) * (x[i] - mx);
      sxy += w[i] * (x[i] - mx) * (y[i] - my);
    }
    if (sxx <= 0) {
      return null;
    }
    double b = sxy / sxx;
    return new double[] {my - b * mx, b};
  }
}
