package org.corral.policy.placement;

import java.util.Comparator;

/**
 * An order of hosts that matches a scorer's order (best first, then name) among hosts of the same
 * capacity. Within one capacity class, a scorer's score is a monotone function of these keys,
 * so the first host of the class that passes the filters is the class's best: the exactness
 * argument behind {@link HostIndex}.
 */
enum HostOrder {
  /** PackingScorer: least free memory, then least free CPU. Walks start at the VM's memory. */
  TIGHTEST_FIRST(true),
  /** StripingScorer: fewest VMs, then least reserved memory. */
  EMPTIEST_FIRST(false);

  /** True when a walk may skip, by a search, every host with less free memory than the VM needs. */
  final boolean startsAtMemoryNeed;

  HostOrder(boolean startsAtMemoryNeed) {
    this.startsAtMemoryNeed = startsAtMemoryNeed;
  }

  Comparator<Integer> comparator(PlacementState s) {
    return switch (this) {
      case TIGHTEST_FIRST -> (a, b) -> {
        int c = Long.compare(s.memoryCapacity[a] - s.memoryReserved[a], s.memoryCapacity[b] - s.memoryReserved[b]);
        if (c == 0) {
          c = Double.compare(s.cpuCapacity[a] - s.cpuReserved[a], s.cpuCapacity[b] - s.cpuReserved[b]);
        }
        return c != 0 ? c : s.names[a].compareTo(s.names[b]);
      };
      case EMPTIEST_FIRST -> (a, b) -> {
        int c = Integer.compare(s.vms[a], s.vms[b]);
        if (c == 0) {
          c = Long.compare(s.memoryReserved[a], s.memoryReserved[b]);
        }
        return c != 0 ? c : s.names[a].compareTo(s.names[b]);
      };
    };
  }
}
