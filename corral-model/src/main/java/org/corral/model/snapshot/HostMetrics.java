package org.corral.model.snapshot;

import java.time.Instant;

/**
 * What the Monitor measured on a host, averaged over its window.
 *
 * @param cpuUtilisation share of the host's CPU used, 0..1 (sum of domain CPU-time deltas over
 *                       the interval divided by the host's cores, as the energy study measured it)
 * @param memoryUsedMib  memory used by domains
 * @param samples        samples in the window (0: no data yet)
 */
public record HostMetrics(double cpuUtilisation, long memoryUsedMib, int samples, Instant observedAt) {
  public static final HostMetrics NONE = new HostMetrics(0, 0, 0, Instant.EPOCH);
}
