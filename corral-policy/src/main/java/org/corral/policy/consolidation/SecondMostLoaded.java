package org.corral.policy.consolidation;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The energy study's rule: an overloaded host with at least two guests hands over its second
 * most loaded VM (by CPU in use now), keeping the busiest where it is and freeing real room.
 * With one guest there is nothing to hand over.
 */
public final class SecondMostLoaded implements VmSelector {
  @Override
  public String name() {
    return "second-most-loaded";
  }

  @Override
  public Optional<VmLoad> select(List<VmLoad> candidates, long seed) {
    if (candidates.size() < 2) {
      return Optional.empty();
    }
    // Stable sort: equal loads keep the host's order.
    List<VmLoad> byLoad = candidates.stream().sorted(Comparator.comparingDouble(VmLoad::load).reversed()).toList();
    return Optional.of(byLoad.get(1));
  }
}
