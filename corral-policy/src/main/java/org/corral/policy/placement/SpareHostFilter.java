package org.corral.policy.placement;

/**
 * Reserved spare hosts ({@link SchedulerSettings#spare}) take no ordinary VM: a new VM, a
 * migration of the optimizer or an evacuation never goes there. Only the recovery of a failed
 * host's VMs searches them, first ({@link PlacementSession#placeForRecovery}); during that spare
 * pass the other hosts are the ones set aside.
 */
final class SpareHostFilter implements HostFilter {
  static final String REASON = "host-spare";

  @Override
  public String reason() {
    return REASON;
  }

  @Override
  public boolean accepts(PlacementState state, int host, Candidate vm) {
    return state.spare[host] == state.spareMode;
  }

  @Override
  public String explain(int rejected, PlacementState state, Candidate vm) {
    return HostFilter.hosts(rejected, "is a reserved spare", "are reserved spares") + " (kept for the VMs of a failed host)";
  }
}
