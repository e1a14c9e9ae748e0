package org.corral.policy.placement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * UP hosts grouped by capacity (memory and schedulable CPU), each group a sorted set in a
 * {@link HostOrder}. A placement looks at the first feasible host of each group, O(groups × log
 * hosts) plus the hosts it walks past, instead of every host. Real labs have a handful of host
 * sizes; with every host a different size this degrades to a scan, never to a wrong answer.
 * The index is kept current by {@link PlacementState#place}.
 */
final class HostIndex {
  private final PlacementState state;
  private final HostOrder order;
  private final List<NavigableSet<Integer>> groups = new ArrayList<>();
  private final int[] groupOf;
  private final Integer[] boxed;
  /** The spare slot of the state's arrays, used as a search key. */
  private final Integer probe;

  HostIndex(PlacementState state, HostOrder order) {
    this.state = state;
    this.order = order;
    this.groupOf = new int[state.size];
    this.boxed = new Integer[state.size];
    this.probe = state.size;
    Comparator<Integer> cmp = order.comparator(state);
    Map<CapacityKey, Integer> groupIds = new LinkedHashMap<>();
    for (int h = 0; h < state.size; h++) {
      boxed[h] = h;
      if (!state.up[h]) {
        groupOf[h] = -1;
        continue;
      }
      int id = groupIds.computeIfAbsent(new CapacityKey(state.memoryCapacity[h], state.cpuCapacity[h]), k -> {
        groups.add(new TreeSet<>(cmp));
        return groups.size() - 1;
      });
      groupOf[h] = id;
      groups.get(id).add(boxed[h]);
    }
    state.names[state.size] = "";
    state.register(this);
  }

  HostOrder order() {
    return order;
  }

  void remove(int h) {
    if (groupOf[h] >= 0) {
      groups.get(groupOf[h]).remove(boxed[h]);
    }
  }

  void add(int h) {
    if (groupOf[h] >= 0) {
      groups.get(groupOf[h]).add(boxed[h]);
    }
  }

  /** The groups, each as the part a walk for {@code vm} should visit, best first. */
  List<Iterable<Integer>> walks(Candidate vm) {
    List<Iterable<Integer>> out = new ArrayList<>(groups.size());
    for (NavigableSet<Integer> group : groups) {
      if (order.startsAtMemoryNeed) {
        // The probe has exactly the needed memory free and -inf CPU free, so it sorts just before
        // the first host with enough memory.
        state.memoryCapacity[probe] = vm.memoryMib();
        state.memoryReserved[probe] = 0;
        state.cpuCapacity[probe] = Double.NEGATIVE_INFINITY;
        state.cpuReserved[probe] = 0;
        out.add(group.tailSet(probe, false));
      } else {
        out.add(group);
      }
    }
    return out;
  }

  private record CapacityKey(long memoryMib, double cpus) {}
}
