package org.corral.policy.consolidation;

import java.util.List;
import java.util.Optional;

/**
 * MC: the VM whose utilisation is best explained by the others' (the largest R² of a multiple
 * least-squares regression of its history on theirs, with an intercept): the one most likely to
 * peak together with them, so moving it flattens the host's peaks. Histories are cut to the
 * newest m samples they all have. Falls back to {@link MinimumMigrationTime} when the regression
 * cannot be formed: a single candidate, fewer samples than candidates, or a singular design.
 */
public final class MaximumCorrelation implements VmSelector {
  private static final double SINGULAR = 1e-12;
  private final MinimumMigrationTime fallback = new MinimumMigrationTime();

  @Override
  public String name() {
    return "mc";
  }

  @Override
  public Optional<VmLoad> select(List<VmLoad> candidates, long seed) {
    int n = candidates.size();
    int m = Integer.MAX_VALUE;
    for (VmLoad v : candidates) {
      m = Math.min(m, v.history().length);
    }
    if (n < 2 || m < n) {
      return fallback.select(candidates, seed);
    }
    double[][] h = new double[n][];
    for (int i = 0; i < n; i++) {
      double[] all = candidates.get(i).history();
      h[i] = java.util.Arrays.copyOfRange(all, all.length - m, all.length);
    }
    int best = -1;
    double bestR2 = Double.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      double r2;
      try {
        r2 = rSquared(h, i, m);
      } catch (SingularDesign e) {
        return fallback.select(candidates, seed);
      }
      // NaN (a flat history) never wins; ties go to the earliest.
      if (r2 > bestR2) {
        best = i;
        bestR2 = r2;
      }
    }
    return Optional.of(candidates.get(best < 0 ? 0 : best));
  }

  /** The regressors are linearly dependent: no unique fit. */
  private static final class SingularDesign extends Exception {
    SingularDesign() {
      super(null, null, false, false);
    }
  }

  /** R² of h[target] regressed on the other rows with an intercept; NaN when its history is flat. */
  private static double rSquared(double[][] h, int target, int m) throws SingularDesign {
    int p = h.length; // intercept + (n - 1) regressors
    double[][] xtx = new double[p][p];
    double[] xty = new double[p];
    double[] row = new double[p];
    for (int t = 0; t < m; t++) {
      row[0] = 1;
      for (int j = 0, k = 1; j < h.length; j++) {
        if (j != target) {
          row[k++] = h[j][t];
        }
      }
      for (int a = 0; a < p; a++) {
        xty[a] += row[a] * h[target][t];
        for (int b = 0; b < p; b++) {
          xtx[a][b] += row[a] * row[b];
        }
      }
    }
    double[] beta = solve(xtx, xty);
    if (beta == null) {
      throw new SingularDesign();
    }
    double mean = 0;
    for (int t = 0; t < m; t++) {
      mean += h[target][t];
    }
    mean /= m;
    double ssRes = 0, ssTot = 0;
    for (int t = 0; t < m; t++) {
      double fit = beta[0];
      for (int j = 0, k = 1; j < h.length; j++) {
        if (j != target) {
          fit += beta[k++] * h[j][t];
        }
      }
      ssRes += (h[target][t] - fit) * (h[target][t] - fit);
      ssTot += (h[target][t] - mean) * (h[target][t] - mean);
    }
    return ssTot == 0 ? Double.NaN : 1 - ssRes / ssTot;
  }

  /** Gaussian elimination with partial pivoting; null when (near) singular. */
  private static double @org.jspecify.annotations.Nullable [] solve(double[][] a, double[] b) {
    int n = b.length;
    double[][] m = new double[n][];
    for (int i = 0; i < n; i++) {
      m[i] = java.util.Arrays.copyOf(a[i], n + 1);
      m[i][n] = b[i];
    }
    for (int c = 0; c < n; c++) {
      int pivot = c;
      for (int r = c + 1; r < n; r++) {
        if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) {
          pivot = r;
        }
      }
      if (Math.abs(m[pivot][c]) < SINGULAR) {
        return null;
      }
      double[] tmp = m[c];
      m[c] = m[pivot];
      m[pivot] = tmp;
      for (int r = 0; r < n; r++) {
        if (r != c) {
          double f = m[r][c] / m[c][c];
          for (int k = c; k <= n; k++) {
            m[r][k] -= f * m[c][k];
          }
        }
      }
    }
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = m[i][n] / m[i][i];
    }
    return x;
  }
}
