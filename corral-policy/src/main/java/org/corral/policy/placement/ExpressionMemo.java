package org.corral.policy.placement;

import org.jspecify.annotations.Nullable;
import org.corral.policy.expr.CompiledExpression;
import org.corral.policy.expr.ExpressionKind;

/**
 * Results of one expression per host for one call, so each distinct expression runs at most once
 * per host: forever for expressions over static host facts (labels, size, measured load), until
 * the host's next placement for those reading {@code host.free} or {@code host.vms}. Expressions
 * reading {@code vm.*} differ per VM and are never cached. An evaluation error is stored as NaN.
 */
final class ExpressionMemo {
  private static final int UNKNOWN = -1;

  private final CompiledExpression expr;
  private final boolean cacheable;
  private final double[] value;
  /** The host version the value was computed at; UNKNOWN when not computed. */
  private final int[] computedAt;

  ExpressionMemo(CompiledExpression expr, int hosts) {
    this.expr = expr;
    this.cacheable = !expr.readsVm();
    this.value = new double[hosts];
    this.computedAt = new int[hosts];
    java.util.Arrays.fill(computedAt, UNKNOWN);
  }

  /** 1 or 0 for requirements, the rank for rank expressions, NaN when evaluation failed. */
  double value(PlacementState state, int h, Candidate vm) {
    int current = expr.readsPlacementState() ? state.version[h] : 0;
    if (cacheable && computedAt[h] == current) {
      return value[h];
    }
    double v;
    try {
      HostFacts facts = state.facts.at(h, vm);
      v = expr.kind() == ExpressionKind.REQUIREMENTS ? (expr.test(facts) ? 1 : 0) : expr.rank(facts);
    } catch (CompiledExpression.EvaluationFailure e) {
      v = Double.NaN;
    }
    if (cacheable) {
      value[h] = v;
      computedAt[h] = current;
    }
    return v;
  }

  /**
   * Why the expression cannot be evaluated on the first UP host (in name order) where it fails,
   * or null when it evaluates everywhere. Independent of which hosts a search happened to visit,
   * so reports are the same whether an index or a scan found no host.
   */
  @Nullable String firstError(PlacementState state, Candidate vm) {
    for (int h = 0; h < state.size; h++) {
      if (state.eligible(h) && Double.isNaN(value(state, h, vm))) {
        try {
          HostFacts facts = state.facts.at(h, vm);
          Object ignored = expr.kind() == ExpressionKind.REQUIREMENTS ? expr.test(facts) : expr.rank(facts);
        } catch (CompiledExpression.EvaluationFailure e) {
          return state.names[h] + ": " + e.getMessage();
        }
      }
    }
    return null;
  }
}
