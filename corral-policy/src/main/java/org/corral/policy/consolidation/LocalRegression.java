package org.corral.policy.consolidation;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * LR(s) and LRR(s): fit a line to the 10 newest samples (x = 1..10, oldest first), predict the
 * utilisation when a migration started now would end (x* = 10 + ceil(T_mig / interval)), and call
 * the host overloaded when s × prediction ≥ 1. With fewer than 10 samples, THR(0.7).
 *
 * <p>LR is ordinary least squares. LRR is the robust fit the method describes and CloudSim 3.0.3
 * does not do (its LRR is plain OLS, see the reference §5.2): iteratively reweighted least squares
 * with bisquare weights on residuals scaled by 6 × their median absolute value, so one spike in
 * the window does not swing the prediction.
 */
public final class LocalRegression implements OverloadDetector {
  static final int WINDOW = 10;
  private static final int ROBUST_ITERATIONS = 4;
  private final double safety;
  private final boolean robust;
  private final StaticThreshold fallback = new StaticThreshold(0.7);

  /** @param robust false for LR (OLS), true for LRR (bisquare-weighted) */
  public LocalRegression(double safety, boolean robust) {
    if (!(safety > 0)) {
      throw new IllegalArgumentException("safety parameter must be > 0, got " + safety);
    }
    this.safety = safety;
    this.robust = robust;
  }

  @Override
  public String name() {
    return (robust ? "lrr-" : "lr-") + Format.number(safety);
  }

  @Override
  public Detection test(HostLoad load) {
    int n = load.length();
    if (n < WINDOW) {
      Detection d = fallback.test(load);
      return Detection.of(d.overloaded(), () -> d.reason() + ", " + name() + " needs " + WINDOW + " samples, has " + n);
    }
    double[] x = new double[WINDOW];
    double[] y = new double[WINDOW];
    for (int i = 0; i < WINDOW; i++) {
      x[i] = i + 1;
      y[i] = load.sample(n - WINDOW + i);
    }
    double[] fit = robust ? robustLine(x, y) : Stats.line(x, y, ones());
    if (fit == null) {
      return fallback.test(load);
    }
    double horizon = WINDOW + Math.ceil(load.migrationSeconds() / load.intervalSeconds());
    double predicted = fit[0] + fit[1] * horizon;
    boolean over = safety * predicted >= 1;
    double seconds = (horizon - WINDOW) * load.intervalSeconds();
    return Detection.of(over, () -> String.format(Locale.ROOT, "predicted %.2f in %.0f s, × %s = %.2f %s 1 (%s)", predicted,
        seconds, Format.number(safety), safety * predicted, over ? ">=" : "<", name()));
  }

  private static double[] ones() {
    double[] w = new double[WINDOW];
    java.util.Arrays.fill(w, 1);
    return w;
  }

  /** Bisquare-weighted IRLS starting from OLS; a perfect fit (all residuals 0) stays OLS. */
  static double @Nullable [] robustLine(double[] x, double[] y) {
    double[] w = ones();
    double[] fit = Stats.line(x, y, w);
    for (int it = 0; it < ROBUST_ITERATIONS && fit != null; it++) {
      double[] r = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        r[i] = Math.abs(y[i] - (fit[0] + fit[1] * x[i]));
      }
      double scale = 6 * Stats.median(r);
      if (scale == 0) {
        return fit;
      }
      for (int i = 0; i < x.length; i++) {
        double u = r[i] / scale;
        w[i] = u < 1 ? (1 - u * u) * (1 - u * u) : 0;
      }
      double[] next = Stats.line(x, y, w);
      if (next == null) {
        return fit;
      }
      fit = next;
    }
    return fit;
  }
}
