package org.corral.policy.placement;

import java.util.function.Supplier;
import java.util.Locale;

/**
 * Prefers the most free measured CPU, in MHz so that a fast core counts for more than a slow one.
 * The Monitor has not yet measured VMs placed by this call, so each of their vCPUs is assumed to
 * keep one core busy; without that every VM of a call would land on the same idle host.
 */
final class LoadAwareScorer implements HostScorer {
  @Override
  public String name() {
    return "LOAD_AWARE";
  }

  @Override
  public double score(PlacementState s, int h, Candidate vm) {
    return Math.max(0, freeMhzAfter(s, h, vm)) / s.largestTotalMhz;
  }

  private static double freeMhzAfter(PlacementState s, int h, Candidate vm) {
    var cap = s.hosts[h].capacity();
    double measuredFree = cap.totalMhz() * (1 - s.cpuUtilisation[h]);
    return measuredFree - (double) (s.cpusPlacedNow[h] + vm.cpus()) * cap.mhzPerCore();
  }

  @Override
  public Supplier<String> why(PlacementState s, int h, Candidate vm) {
    double measured = 100 * s.cpuUtilisation[h];
    double freeAfter = Math.max(0, freeMhzAfter(s, h, vm));
    return () -> String.format(Locale.ROOT, "measured CPU %.0f%%, about %.0f MHz free after", measured, freeAfter);
  }
}
