package org.corral.policy.consolidation;

import java.util.List;
import java.util.Optional;

/** MU: the VM using the smallest share of its CPU now (ties to the earliest). */
public final class MinimumUtilisation implements VmSelector {
  @Override
  public String name() {
    return "mu";
  }

  @Override
  public Optional<VmLoad> select(List<VmLoad> candidates, long seed) {
    VmLoad best = null;
    for (VmLoad v : candidates) {
      if (best == null || v.utilisation() < best.utilisation()) {
        best = v;
      }
    }
    return Optional.ofNullable(best);
  }
}
