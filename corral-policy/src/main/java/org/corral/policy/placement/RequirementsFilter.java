package org.corral.policy.placement;

import org.corral.policy.expr.CompiledExpression;
import java.util.Objects;
/**
 * The VM's CEL requirements must be true for the host. Results are memoised per host for the call
 * (see {@link ExpressionMemo}); an evaluation error, such as a missing label key, counts as false.
 */
final class RequirementsFilter implements HostFilter {
  static final String REASON = "requirements-false";

  @Override
  public String reason() {
    return REASON;
  }

  @Override
  public boolean accepts(PlacementState state, int host, Candidate vm) {
    CompiledExpression requirements = vm.requirements();
    return requirements == null || state.memo(requirements).value(state, host, vm) == 1;
  }

  @Override
  public String explain(int rejected, PlacementState state, Candidate vm) {
    // Only a VM with requirements is ever rejected by this filter.
    CompiledExpression requirements = Objects.requireNonNull(vm.requirements(), "rejected by its requirements");
    String error = state.memo(requirements).firstError(state, vm);
    return HostFilter.hosts(rejected, "fails", "fail") + " requirements '" + requirements.source() + "'"
        + (error == null ? "" : " (it cannot be evaluated on some hosts, e.g. " + error + ")");
  }
}
