package org.corral.policy.placement;

/**
 * A host takes VMs only once its hypervisor has answered since the controller started: a host
 * added with a wrong address, or not yet polled after a restart, is not a place for a VM.
 */
final class HostCheckedFilter implements HostFilter {
  static final String REASON = "host-unchecked";

  @Override
  public String reason() {
    return REASON;
  }

  @Override
  public boolean accepts(PlacementState state, int host, Candidate vm) {
    return state.checked[host];
  }

  @Override
  public String explain(int rejected, PlacementState state, Candidate vm) {
    return HostFilter.hosts(rejected, "has", "have") + " not answered a check yet";
  }
}
