package org.corral.policy.placement;

import org.corral.policy.expr.CompiledExpression;
import java.util.Objects;
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

  /** The scheduler refuses CUSTOM without a rank before any scorer runs. */
  private static CompiledExpression rank(Candidate vm) {
    return Objects.requireNonNull(vm.rank(), "CUSTOM placement needs spec.rank");
  }

  @Override
  public double score(PlacementState s, int h, Candidate vm) {
    double rank = s.memo(rank(vm)).value(s, h, vm);
    return Double.isNaN(rank) ? Double.NEGATIVE_INFINITY : rank;
  }

  @Override
  public Supplier<String> why(PlacementState s, int h, Candidate vm) {
    double rank = score(s, h, vm);
    String source = rank(vm).source();
    return () -> String.format(Locale.ROOT, "rank '%s' = %s", source, rank);
  }
}
