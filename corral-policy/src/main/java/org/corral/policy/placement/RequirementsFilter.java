package org.corral.policy.placement;

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
    return vm.requirements() == null || state.memo(vm.requirements()).value(state, host, vm) == 1;
  }

  @Override
  public String explain(int rejected, PlacementState state, Candidate vm) {
    String error = state.memo(vm.requirements()).firstError(state, vm);
    return HostFilter.hosts(rejected, "fails", "fail") + " requirements '" + vm.requirements().source() + "'"
        + (error == null ? "" : " (it cannot be evaluated on some hosts, e.g. " + error + ")");
  }
}
