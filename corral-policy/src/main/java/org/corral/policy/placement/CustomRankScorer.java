package org.corral.policy.placement;

import java.util.Locale;

/**
 * The VM's CEL rank, higher wins. A host whose rank cannot be evaluated (or is NaN) ranks last.
 * Memoised per host like requirements.
 */
final class CustomRankScorer implements HostScorer {
  @Override
  public String name() {
    return "CUSTOM";
  }

  @Override
  public double score(PlacementState s, int h, Candidate vm) {
    double rank = s.memo(vm.rank()).value(s, h, vm);
    return Double.isNaN(rank) ? Double.NEGATIVE_INFINITY : rank;
  }

  @Override
  public String why(PlacementState s, int h, Candidate vm) {
    return String.format(Locale.ROOT, "rank '%s' = %s", vm.rank().source(), score(s, h, vm));
  }
}
