package org.corral.policy.consolidation;

import java.util.List;
import java.util.Optional;

/** MMT: the VM whose live migration copies the least memory (ties to the earliest). */
public final class MinimumMigrationTime implements VmSelector {
  @Override
  public String name() {
    return "mmt";
  }

  @Override
  public Optional<VmLoad> select(List<VmLoad> candidates, long seed) {
    VmLoad best = null;
    for (VmLoad v : candidates) {
      if (best == null || v.memoryMib() < best.memoryMib()) {
        best = v;
      }
    }
    return Optional.ofNullable(best);
  }
}
