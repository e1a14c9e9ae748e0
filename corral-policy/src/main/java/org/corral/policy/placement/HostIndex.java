package org.corral.policy.placement;

import java.util.Objects;
import org.jspecify.annotations.Nullable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.corral.policy.expr.CompiledExpression;

/**
 * Eligible hosts (UP, not excluded; see {@link PlacementState#eligible}) in groups that share a capacity (memory and schedulable CPU) and a power-of-two band
 * of free vCPUs (0, 1, 2-3, 4-7, 8-15, ...); each group is a sorted set in a {@link HostOrder}.
 * A placement only visits the bands that can hold its vCPUs and, in each, walks from the best
 * host to the first feasible one: O(groups × log hosts) plus the hosts it walks past, instead of
 * every host. Banding by free vCPUs matters for packing: hosts whose CPU is spent while memory is
 * left would otherwise be walked past by every VM; bands rather than exact counts keep the
 * number of groups a VM visits small (at most about 8 per capacity).
 *
 * <p>An index may hold only the hosts that satisfy one static requirements expression (one that
 * reads neither {@code vm.*} nor free resources), so VMs with that expression walk no host it
 * rejects. Real labs have a handful of host sizes; with every host a different size this
 * degrades to a scan, never to a wrong answer. {@link PlacementState#place} keeps it current.
 */
final class HostIndex {
  // Same tolerance as CpuFitFilter: a host with 1.9999999999 free vCPUs takes a 2-vCPU VM.
  private static final double EPSILON = 1e-9;

  private final PlacementState state;
  private final HostOrder order;
  private final Comparator<Integer> comparator;
  /** Per capacity class: free-vCPU band to the hosts in it. */
  private final List<TreeMap<Integer, NavigableSet<Integer>>> classes = new ArrayList<>();
  private final int[] classOf;
  private final int[] bucketOf;
  private final boolean[] indexed;
  private final Integer[] boxed;
  /** The spare slot of the state's arrays, used as a search key. */
  private final Integer probe;

  /**
   * @param onlySatisfying a static requirements expression the indexed hosts must satisfy, or null
   */
  HostIndex(PlacementState state, HostOrder order, @Nullable CompiledExpression onlySatisfying, Candidate forEvaluation) {
    this.state = state;
    this.order = order;
    this.comparator = order.comparator(state);
    this.classOf = new int[state.size];
    this.bucketOf = new int[state.size];
    this.indexed = new boolean[state.size];
    this.boxed = new Integer[state.size];
    this.probe = state.size;
    state.names[state.size] = "";
    ExpressionMemo memo = onlySatisfying == null ? null : state.memo(onlySatisfying);
    Map<CapacityKey, Integer> classIds = new LinkedHashMap<>();
    for (int h = 0; h < state.size; h++) {
      boxed[h] = h;
      classOf[h] = -1;
      // Every host gets its class, eligible or not: one excluded or OFF now may come back in a session.
      if (memo != null && memo.value(state, h, forEvaluation) != 1) {
        continue;
      }
      classOf[h] = classIds.computeIfAbsent(new CapacityKey(state.memoryCapacity[h], state.cpuCapacity[h]), k -> {
        classes.add(new TreeMap<>());
        return classes.size() - 1;
      });
      add(h);
    }
    state.register(this);
  }

  void remove(int h) {
    if (indexed[h]) {
      indexed[h] = false;
      TreeMap<Integer, NavigableSet<Integer>> buckets = classes.get(classOf[h]);
      NavigableSet<Integer> set = Objects.requireNonNull(buckets.get(bucketOf[h]), "an indexed host is in its band");
      set.remove(boxed[h]);
      if (set.isEmpty()) {
        buckets.remove(bucketOf[h]);
      }
    }
  }

  void add(int h) {
    if (classOf[h] >= 0 && state.eligible(h)) {
      indexed[h] = true;
      bucketOf[h] = band((int) Math.floor(state.freeCpus(h) + EPSILON));
      classes.get(classOf[h]).computeIfAbsent(bucketOf[h], b -> new TreeSet<>(comparator)).add(boxed[h]);
    }
  }

  /** The groups with room for {@code vm}'s vCPUs, each as the part a walk should visit, best first. */
  List<Iterable<Integer>> walks(Candidate vm) {
    if (order.startsAtMemoryNeed) {
      // The probe has exactly the needed memory free and -inf CPU free, so it sorts just before
      // the first host with enough memory.
      state.memoryCapacity[probe] = vm.memoryMib();
      state.memoryReserved[probe] = 0;
      state.cpuCapacity[probe] = Double.NEGATIVE_INFINITY;
      state.cpuReserved[probe] = 0;
    }
    List<Iterable<Integer>> out = new ArrayList<>();
    for (TreeMap<Integer, NavigableSet<Integer>> buckets : classes) {
      // The VM's own band may hold hosts with fewer vCPUs than it needs; CpuFitFilter skips them.
      for (NavigableSet<Integer> group : buckets.tailMap(band(vm.cpus()), true).values()) {
        out.add(order.startsAtMemoryNeed ? group.tailSet(probe, false) : group);
      }
    }
    return out;
  }

  /** 0 for no whole vCPU free, else 1 + floor(log2(free)): 1 → 1, 2-3 → 2, 4-7 → 3, ... */
  static int band(int wholeFreeVcpus) {
    return wholeFreeVcpus <= 0 ? 0 : 32 - Integer.numberOfLeadingZeros(wholeFreeVcpus);
  }

  private record CapacityKey(long memoryMib, double cpus) {}
}
