package org.corral.policy.placement;

import java.util.Set;
import java.util.TreeSet;
import org.corral.model.InvalidInputException;
import org.corral.model.host.Host;
import org.corral.model.vm.PlacementPolicy;

/**
 * How the scheduler places VMs that do not choose for themselves.
 *
 * @param defaultPolicy  the policy for VMs whose spec has none; not CUSTOM (that needs a per-VM rank)
 * @param cpuOvercommit  vCPUs allowed per physical core, in (0, 64]; memory is never overcommitted
 * @param spares         reserved spare hosts by name ({@code guardian.spares}), beside those labelled
 *                       {@value #SPARE_LABEL}={@code true}: no ordinary placement goes there, only the
 *                       recovery of a failed host's VMs ({@link PlacementSession#placeForRecovery})
 */
public record SchedulerSettings(PlacementPolicy defaultPolicy, double cpuOvercommit, Set<String> spares) {
  public static final SchedulerSettings DEFAULT = new SchedulerSettings(PlacementPolicy.PACKING, 1.0);

  /** The host label that makes a host a reserved spare, with the value {@code true}. */
  public static final String SPARE_LABEL = "corral.spare";

  /** No spare hosts but those labelled {@value #SPARE_LABEL}=true. */
  public SchedulerSettings(PlacementPolicy defaultPolicy, double cpuOvercommit) {
    this(defaultPolicy, cpuOvercommit, Set.of());
  }

  public SchedulerSettings {
    spares = spares == null ? Set.of() : java.util.Collections.unmodifiableSet(new TreeSet<>(spares));
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

  /** The same settings with {@code names} as the spare hosts. */
  public SchedulerSettings withSpares(Set<String> names) {
    return new SchedulerSettings(defaultPolicy, cpuOvercommit, names);
  }

  /** True when {@code host} is a reserved spare: named in {@link #spares} or labelled {@value #SPARE_LABEL}=true. */
  public boolean spare(Host host) {
    return spares.contains(host.name()) || "true".equals(host.labels().get(SPARE_LABEL));
  }
}
