package org.corral.policy.placement;

/**
 * Only UP hosts take VMs (HostState.acceptsVms); in a session that may wake hosts, OFF ones too
 * once no UP host fits (see {@link PlacementSession}).
 */
final class HostUpFilter implements HostFilter {
  static final String REASON = "host-not-up";

  @Override
  public String reason() {
    return REASON;
  }

  @Override
  public boolean accepts(PlacementState state, int host, Candidate vm) {
    return state.upOrWakeable(host);
  }

  @Override
  public String explain(int rejected, PlacementState state, Candidate vm) {
    return HostFilter.hosts(rejected, "is", "are") + " not UP";
  }
}
