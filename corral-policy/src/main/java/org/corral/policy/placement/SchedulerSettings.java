package org.corral.policy.placement;

import org.corral.model.InvalidInputException;
import org.corral.model.vm.PlacementPolicy;

/**
 * How the scheduler places VMs that do not choose for themselves.
 *
 * @param defaultPolicy  the policy for VMs whose spec has none; not CUSTOM (that needs a per-VM rank)
 * @param cpuOvercommit  vCPUs allowed per physical core, in (0, 64]; memory is never overcommitted
 */
public record SchedulerSettings(PlacementPolicy defaultPolicy, double cpuOvercommit) {
  public static final SchedulerSettings DEFAULT = new SchedulerSettings(PlacementPolicy.PACKING, 1.0);

  public SchedulerSettings {
    if (defaultPolicy == null) {
      throw new InvalidInputException("defaultPolicy", "is missing", "choose PACKING, STRIPING, LOAD_AWARE or POWER_AWARE");
    }
    if (defaultPolicy == PlacementPolicy.CUSTOM) {
      throw new InvalidInputException("defaultPolicy", "cannot be CUSTOM: a rank expression belongs to each VM",
          "choose PACKING, STRIPING, LOAD_AWARE or POWER_AWARE, and set policy CUSTOM with a rank on the VMs that need it");
    }
    if (!(cpuOvercommit > 0 && cpuOvercommit <= 64)) {
      throw new InvalidInputException("cpuOvercommit", "must be in (0, 64], got " + cpuOvercommit,
          "give vCPUs per physical core, e.g. 1.0 (none) or 4.0");
    }
  }
}
