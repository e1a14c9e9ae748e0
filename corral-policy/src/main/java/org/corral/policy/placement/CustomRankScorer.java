package org.corral.policy.placement;

import java.util.function.Supplier;
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
  public Supplier<String> why(PlacementState s, int h, Candidate vm) {
    double rank = score(s, h, vm);
    String source = vm.rank().source();
    return () -> String.format(Locale.ROOT, "rank '%s' = %s", source, rank);
  }
}
