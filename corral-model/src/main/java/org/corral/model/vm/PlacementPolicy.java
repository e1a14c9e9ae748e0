package org.corral.model.vm;

/**
 * How the scheduler ranks the hosts that pass the filters.
 * PACKING fills the busiest host first (fewest hosts on, the energy study's point), STRIPING
 * spreads VMs over the emptiest hosts, LOAD_AWARE prefers the most free measured CPU,
 * POWER_AWARE the smallest increase in watts, CUSTOM ranks by a CEL expression (higher wins).
 */
public enum PlacementPolicy {
  PACKING, STRIPING, LOAD_AWARE, POWER_AWARE, CUSTOM
}
