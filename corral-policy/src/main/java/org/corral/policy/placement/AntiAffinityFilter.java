package org.corral.policy.placement;

/** No two members of an anti-affinity group on one host (members placed earlier in the call count). */
final class AntiAffinityFilter implements HostFilter {
  static final String REASON = "anti-affinity";

  @Override
  public String reason() {
    return REASON;
  }

  @Override
  public boolean accepts(PlacementState state, int host, Candidate vm) {
    return !state.holdsAntiAffinityMember(vm.antiAffinityGroup(), host);
  }

  @Override
  public String explain(int rejected, PlacementState state, Candidate vm) {
    return HostFilter.hosts(rejected, "already holds", "already hold") + " a member of anti-affinity group '" + vm.antiAffinityGroup() + "'";
  }
}
