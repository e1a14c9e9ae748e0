package org.corral.sim;

import java.util.List;

/**
 * One run's figures (what {@link Metric} reads) and its per-interval series.
 *
 * @param policy                  the policy's name as given
 * @param preset                  the preset's name
 * @param trace                   where the trace came from
 * @param vms                     VMs in the trace
 * @param energyKwh               energy as the preset counts it
 * @param migrations              migrations started
 * @param slatah                  SLA violation time per active host (pooled; a fraction)
 * @param pdm                     performance degradation due to migration (pooled; a fraction)
 * @param powerOffs               host shutdowns (transitions from active to inactive)
 * @param meanSecondsBeforeShutdown mean time from a host becoming active to its shutdown
 * @param boundKwh                the full-service energy bound of the run's demand
 * @param rejectedActions         plan actions the data centre refused (0 in a sound run)
 * @param wallSeconds             wall time of the run (reading the trace excluded)
 * @param peakHeapMib             the JVM's peak heap use at the end of the run
 * @param intervals               per interval instant: active hosts, watts, demand, migrations started
 */
public record SimResult(String policy, String preset, String trace, int vms, double energyKwh, long migrations, double slatah,
    double pdm, long powerOffs, double meanSecondsBeforeShutdown, double boundKwh, long rejectedActions, double wallSeconds,
    double peakHeapMib, List<Point> intervals) {

  public SimResult {
    intervals = List.copyOf(intervals);
  }

  /**
   * One interval instant: hosts active (utilisation above 0), their power, the VMs' demand and the
   * active hosts' capacity (MIPS), and the migrations started then.
   */
  public record Point(double seconds, int activeHosts, double watts, double demandMips, double activeMips, int migrations) {
    /** The active hosts' utilisation by demand (0 when none is active). */
    public double utilisation() {
      return activeMips == 0 ? 0 : demandMips / activeMips;
    }
  }

  /** The same figures without the ones that vary between identical runs (wall time, heap). */
  public SimResult withoutTimings() {
    return new SimResult(policy, preset, trace, vms, energyKwh, migrations, slatah, pdm, powerOffs, meanSecondsBeforeShutdown,
        boundKwh, rejectedActions, 0, 0, intervals);
  }
}
