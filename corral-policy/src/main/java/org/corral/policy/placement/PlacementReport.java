package org.corral.policy.placement;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Why a VM could not be placed: the answer the controller shows while the VM stays PENDING.
 *
 * @param vm         the VM's name
 * @param summary    one readable line, e.g. "no host fits: 12 hosts lack memory (needs 8192 MiB,
 *                   largest free 4096 MiB), 3 are not UP"
 * @param rejectedBy filter reason (e.g. "insufficient-memory", "host-not-up") to the number of
 *                   hosts it rejected; each host is counted once, under the first filter that
 *                   rejected it (filters run in the pipeline's order)
 */
public record PlacementReport(String vm, String summary, Map<String, Integer> rejectedBy) {
  public PlacementReport {
    rejectedBy = Collections.unmodifiableSortedMap(new TreeMap<>(rejectedBy));
  }
}
