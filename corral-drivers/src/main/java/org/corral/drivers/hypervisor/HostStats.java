package org.corral.drivers.hypervisor;

import java.util.Map;

/**
 * Cumulative counters read at one moment; utilisation is the delta between two readings.
 *
 * @param domainCpuNanos  cumulative CPU time per running domain, by name
 * @param hostBusyNanos   cumulative busy CPU time of the whole host (virNodeGetCPUStats
 *                        kernel + user), or -1 when the driver cannot tell
 * @param memoryFreeMib   free host memory, or -1
 * @param monotonicNanos  the driver's monotonic time of the reading (same base as its
 *                        counters), so that deltas divide by the right interval
 */
public record HostStats(Map<String, Long> domainCpuNanos, long hostBusyNanos, long memoryFreeMib, long monotonicNanos) {
  public HostStats {
    domainCpuNanos = Map.copyOf(domainCpuNanos);
  }

  /**
   * Host CPU utilisation between {@code earlier} and this reading, the energy study's way: the sum
   * of the domains' CPU-time deltas divided by the interval times the host's cores. Domains that
   * appeared or vanished in between count from zero / are skipped. Returns a value in [0, 1].
   */
  public double utilisationSince(HostStats earlier, int cores) {
    long interval = monotonicNanos - earlier.monotonicNanos;
    if (interval <= 0 || cores <= 0) {
      return 0;
    }
    long used = 0;
    for (Map.Entry<String, Long> e : domainCpuNanos.entrySet()) {
      long before = earlier.domainCpuNanos.getOrDefault(e.getKey(), 0L);
      long d = e.getValue() - before;
      if (d > 0) {
        used += d;
      }
    }
    return Math.max(0, Math.min(1, (double) used / ((double) interval * cores)));
  }
}
