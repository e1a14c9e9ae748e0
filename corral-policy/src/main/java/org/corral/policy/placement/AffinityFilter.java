package org.corral.policy.placement;

import java.util.BitSet;

/**
 * Members of an affinity group share a host: once any member holds a host, the others may only
 * go where a member is. The first member chooses freely.
 */
final class AffinityFilter implements HostFilter {
  static final String REASON = "affinity";

  @Override
  public String reason() {
    return REASON;
  }

  @Override
  public boolean accepts(PlacementState state, int host, Candidate vm) {
    BitSet members = state.affinityHosts(vm.affinityGroup());
    return members == null || members.get(host);
  }

  @Override
  public String explain(int rejected, PlacementState state, Candidate vm) {
    BitSet members = state.affinityHosts(vm.affinityGroup());
    StringBuilder where = new StringBuilder();
    if (members != null) {
      for (int h = members.nextSetBit(0); h >= 0 && where.length() < 80; h = members.nextSetBit(h + 1)) {
        where.append(where.isEmpty() ? "" : ", ").append(state.names[h]);
      }
    }
    return HostFilter.hosts(rejected, "does not hold", "do not hold") + " affinity group '" + vm.affinityGroup() + "' (members on " + where + ")";
  }
}
