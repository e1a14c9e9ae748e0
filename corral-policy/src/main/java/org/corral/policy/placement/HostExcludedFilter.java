package org.corral.policy.placement;

/** Hosts a what-if session set aside (a host being drained takes nothing back). */
final class HostExcludedFilter implements HostFilter {
  static final String REASON = "host-excluded";

  @Override
  public String reason() {
    return REASON;
  }

  @Override
  public boolean accepts(PlacementState state, int host, Candidate vm) {
    return !state.excluded[host];
  }

  @Override
  public String explain(int rejected, PlacementState state, Candidate vm) {
    return HostFilter.hosts(rejected, "is", "are") + " excluded by the caller";
  }
}
