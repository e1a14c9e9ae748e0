package org.corral.policy.placement;

import org.jspecify.annotations.Nullable;
import java.util.List;
import org.corral.model.vm.PlacementPolicy;

/**
 * One placement strategy: filters in the order they run, the scorer that ranks the survivors,
 * and the host order that lets an index stand in for a full scan (null: scan every host).
 */
record Pipeline(PlacementPolicy policy, List<HostFilter> filters, HostScorer scorer, @Nullable HostOrder indexOrder) {
  Pipeline {
    filters = List.copyOf(filters);
  }

  /** Index of the first filter that rejects {@code host}, or -1 when all accept it. */
  int firstRejection(PlacementState state, int host, Candidate vm) {
    for (int f = 0; f < filters.size(); f++) {
      if (!filters.get(f).accepts(state, host, vm)) {
        return f;
      }
    }
    return -1;
  }
}
