package org.corral.policy.consolidation;

import java.util.Arrays;

/**
 * Candidate destinations by free memory, free vCPUs and CPU load, so that the optimizer finds the
 * first host of a range (a power group, in name order) with room for a VM without walking past
 * the full ones. A segment tree over slots: each node keeps, for k = 0 to {@value #WHOLE}, the
 * most free memory among the hosts below it with at least k vCPUs free, and the most free vCPUs
 * and the least load among them; a search descends only into nodes that could admit the VM. So
 * for a VM of up to {@value #WHOLE} vCPUs, memory and vCPUs are tested together, and when a host
 * below a node also has the load to spare, the search finds the first such host in O(log n).
 * Hosts that pass one test but fail another (room, but too busy; or, for a larger VM, memory but
 * no vCPUs) can make it look at more nodes, never give a wrong answer. An update (one host's
 * numbers after a tentative move) is O(log n).
 *
 * <p>The tests are the scheduler's own ({@code MemoryFitFilter}, {@code CpuFitFilter} with its
 * tolerance) and the optimizer's {@code load + share > upper}, with the same arithmetic: for each,
 * a node's extreme value passes whenever one of its hosts' values passes (rounding is monotone), so
 * no host that fits is ever skipped. The caller still checks a found host in full (affinity,
 * requirements, the host excluded or busy) and searches on from the next slot if it is refused.
 */
final class DestinationIndex {
  /** {@link #first} found nothing. */
  static final int NONE = -1;
  /** VMs of up to this many vCPUs are matched on memory and vCPUs together. */
  static final int WHOLE = 8;
  private static final int WIDTH = WHOLE + 1;
  // Same tolerance as CpuFitFilter: a host with 1.9999999999 free vCPUs takes a 2-vCPU VM.
  private static final double EPSILON = 1e-9;

  private final int leaves;
  /** [node * WIDTH + k]: the most free memory (MiB) below node among hosts with k vCPUs free. */
  private final long[] memory;
  private final double[] maxCpus;
  private final double[] minLoad;

  /** An index of {@code slots} slots, all empty. */
  DestinationIndex(int slots) {
    int n = 1;
    while (n < Math.max(1, slots)) {
      n <<= 1;
    }
    leaves = n;
    memory = new long[2 * n * WIDTH];
    maxCpus = new double[2 * n];
    minLoad = new double[2 * n];
    Arrays.fill(memory, Long.MIN_VALUE);
    Arrays.fill(maxCpus, Double.NEGATIVE_INFINITY);
    Arrays.fill(minLoad, Double.POSITIVE_INFINITY);
  }

  /** Puts a host in {@code slot}, or updates it: free memory (MiB), free vCPUs, load (share of its cores). */
  void put(int slot, long freeMemoryMib, double freeCpus, double load) {
    int node = leaves + slot;
    for (int k = 0; k < WIDTH; k++) {
      // The CpuFitFilter test for a k-vCPU VM.
      memory[node * WIDTH + k] = k <= freeCpus + EPSILON ? freeMemoryMib : Long.MIN_VALUE;
    }
    maxCpus[node] = freeCpus;
    minLoad[node] = load;
    pull(node);
  }

  /** Empties {@code slot}: its host takes nothing. */
  void clear(int slot) {
    put(slot, Long.MIN_VALUE, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
  }

  /**
   * The first slot in {@code [from, to)} whose host has {@code memoryMib} and {@code cpus} free
   * and whose load plus {@code share} stays at or under {@code upper}; {@link #NONE} if none has.
   */
  int first(int from, int to, long memoryMib, int cpus, double share, double upper) {
    return from >= to ? NONE : first(1, 0, leaves, from, to, memoryMib, cpus, share, upper);
  }

  private int first(int node, int lo, int hi, int from, int to, long memoryMib, int cpus, double share, double upper) {
    if (hi <= from || lo >= to || !mayFit(node, memoryMib, cpus) || minLoad[node] + share > upper) {
      return NONE;
    }
    if (hi - lo == 1) {
      return lo;
    }
    int mid = (lo + hi) >>> 1;
    int found = first(2 * node, lo, mid, from, to, memoryMib, cpus, share, upper);
    return found != NONE ? found : first(2 * node + 1, mid, hi, from, to, memoryMib, cpus, share, upper);
  }

  /** True when a host below {@code node} may have the memory and vCPUs (certainly, at a leaf). */
  private boolean mayFit(int node, long memoryMib, int cpus) {
    return cpus <= WHOLE ? memory[node * WIDTH + Math.max(cpus, 0)] >= memoryMib
        : memory[node * WIDTH + WHOLE] >= memoryMib && cpus <= maxCpus[node] + EPSILON;
  }

  /** Recomputes the ancestors of {@code node}, up to the first that does not change. */
  private void pull(int node) {
    for (int n = node >>> 1; n >= 1; n >>>= 1) {
      int l = 2 * n;
      int r = l + 1;
      boolean changed = false;
      for (int k = 0; k < WIDTH; k++) {
        long m = Math.max(memory[l * WIDTH + k], memory[r * WIDTH + k]);
        changed |= m != memory[n * WIDTH + k];
        memory[n * WIDTH + k] = m;
      }
      double cpus = Math.max(maxCpus[l], maxCpus[r]);
      double load = Math.min(minLoad[l], minLoad[r]);
      changed |= cpus != maxCpus[n] || load != minLoad[n]; // NaN: "changed", which is only slower
      maxCpus[n] = cpus;
      minLoad[n] = load;
      if (!changed) {
        return;
      }
    }
  }
}
