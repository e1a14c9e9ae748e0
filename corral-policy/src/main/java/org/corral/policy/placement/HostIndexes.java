package org.corral.policy.placement;

import org.jspecify.annotations.Nullable;
import java.util.HashMap;
import java.util.Map;
import org.corral.policy.expr.CompiledExpression;

/**
 * The indexes of one call, built on first use: one per host order, plus one per order and static
 * requirements expression (up to {@link #MAX_FILTERED} of those, since every placement updates
 * every index; VMs with further expressions walk the unfiltered index and skip hosts one by one).
 */
final class HostIndexes {
  static final int MAX_FILTERED = 16;

  private final PlacementState state;
  private final Map<Key, HostIndex> indexes = new HashMap<>();
  private int filtered;

  HostIndexes(PlacementState state) {
    this.state = state;
  }

  HostIndex forCandidate(HostOrder order, Candidate vm) {
    CompiledExpression req = vm.requirements();
    boolean isStatic = req != null && !req.readsVm() && !req.readsPlacementState();
    if (isStatic) {
      HostIndex index = indexes.get(new Key(order, req));
      if (index != null) {
        return index;
      }
      if (filtered < MAX_FILTERED) {
        filtered++;
        index = new HostIndex(state, order, req, vm);
        indexes.put(new Key(order, req), index);
        return index;
      }
    }
    return indexes.computeIfAbsent(new Key(order, null), k -> new HostIndex(state, order, null, vm));
  }

  /** Compiled expressions come from one cache, so identity is equality here. */
  private record Key(HostOrder order, @Nullable CompiledExpression requirements) {}
}
