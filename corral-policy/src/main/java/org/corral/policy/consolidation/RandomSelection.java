package org.corral.policy.consolidation;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/** RS: a uniformly random VM, drawn from the decision's seed (CloudSim's is unseeded; this replays). */
public final class RandomSelection implements VmSelector {
  @Override
  public String name() {
    return "rs";
  }

  @Override
  public Optional<VmLoad> select(List<VmLoad> candidates, long seed) {
    return candidates.isEmpty() ? Optional.empty()
        : Optional.of(candidates.get(new SplittableRandom(seed).nextInt(candidates.size())));
  }
}
