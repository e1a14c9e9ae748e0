package org.corral.policy.placement;

import java.util.Locale;

/** vCPUs must fit in cores × cpuOvercommit minus the vCPUs already reserved. */
final class CpuFitFilter implements HostFilter {
  static final String REASON = "insufficient-cpu";
  // Sums of whole vCPUs against a fractional capacity: tolerate rounding, as Resources.fits does.
  private static final double EPSILON = 1e-9;

  @Override
  public String reason() {
    return REASON;
  }

  @Override
  public boolean accepts(PlacementState state, int host, Candidate vm) {
    return vm.cpus() <= state.freeCpus(host) + EPSILON;
  }

  @Override
  public String explain(int rejected, PlacementState state, Candidate vm) {
    double largest = 0;
    for (int h = 0; h < state.size; h++) {
      if (state.eligible(h)) {
        largest = Math.max(largest, state.freeCpus(h));
      }
    }
    return HostFilter.hosts(rejected, "lacks", "lack") + " CPU (needs " + vm.cpus() + " vCPUs, largest free "
        + String.format(Locale.ROOT, "%.1f", largest) + ")";
  }
}
