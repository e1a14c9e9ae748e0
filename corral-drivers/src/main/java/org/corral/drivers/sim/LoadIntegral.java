package org.corral.drivers.sim;

import java.util.List;
import java.util.TreeSet;
import org.corral.model.host.PowerModel;

/**
 * Exact integrals of one powered-on host's load over an interval during which its set of running
 * domains does not change. The interval is cut at every workload break, so that each domain's
 * demand is linear on each piece; each piece is cut again where the host's utilisation crosses a
 * point of the 11-point power table (or 100 %, where it is capped), so that the power drawn is
 * linear too. The trapezoid rule is then exact on every piece.
 */
final class LoadIntegral {
  private LoadIntegral() {}

  /** A domain consuming CPU: its workload, when its workload clock started, its vCPUs. */
  record Running(WorkloadModel model, long origin, int vcpus) {}

  /**
   * @param joules        energy drawn by the host
   * @param busyCoreNanos host CPU time used, capped at all cores busy
   * @param cpuNanos      CPU time used by each domain, in the order given (not capped)
   */
  record Result(double joules, double busyCoreNanos, double[] cpuNanos) {}

  static Result integrate(List<Running> running, int cores, PowerModel power, long t0, long t1) {
    double[] cpu = new double[running.size()];
    if (t1 <= t0) {
      return new Result(0, 0, cpu);
    }
    TreeSet<Long> cuts = new TreeSet<>();
    cuts.add(t0);
    cuts.add(t1);
    for (Running r : running) {
      WorkloadSegments.breaks(r.model(), r.origin(), t0, t1, cuts::add);
    }
    double joules = 0;
    double busy = 0;
    Long a = null;
    for (long b : cuts) {
      if (a != null) {
        double hostStart = 0;
        double hostEnd = 0;
        for (int i = 0; i < running.size(); i++) {
          Running r = running.get(i);
          double us = WorkloadSegments.atStart(r.model(), r.origin(), a);
          double ue = WorkloadSegments.atEnd(r.model(), r.origin(), a, b);
          cpu[i] += (us + ue) / 2 * r.vcpus() * (b - a);
          hostStart += us * r.vcpus();
          hostEnd += ue * r.vcpus();
        }
        double[] piece = hostPiece(hostStart / cores, hostEnd / cores, power, b - a);
        joules += piece[0];
        busy += piece[1] * cores;
      }
      a = b;
    }
    return new Result(joules, busy, cpu);
  }

  /**
   * Energy (J) and busy share × nanos of a piece lasting {@code nanos} over which the host's
   * utilisation goes linearly from {@code u0} to {@code u1} (either may exceed 1).
   */
  private static double[] hostPiece(double u0, double u1, PowerModel power, long nanos) {
    double lo = Math.min(u0, u1);
    double hi = Math.max(u0, u1);
    double[] fracs = new double[12];
    int n = 0;
    for (int k = 1; k <= 10; k++) { // where the power table's slope changes (and 100 %, the cap)
      double level = k / 10.0;
      if (level > lo && level < hi) {
        fracs[n++] = (level - u0) / (u1 - u0);
      }
    }
    java.util.Arrays.sort(fracs, 0, n);
    fracs[n++] = 1;
    double joules = 0;
    double busy = 0;
    double prevFrac = 0;
    double prevU = u0;
    for (int i = 0; i < n; i++) {
      double frac = fracs[i];
      double u = frac == 1 ? u1 : u0 + (u1 - u0) * frac;
      double share = frac - prevFrac;
      joules += (power.wattsAt(prevU) + power.wattsAt(u)) / 2 * share * nanos / 1e9;
      busy += (Math.min(1, prevU) + Math.min(1, u)) / 2 * share * nanos;
      prevFrac = frac;
      prevU = u;
    }
    return new double[] {joules, busy};
  }
}
