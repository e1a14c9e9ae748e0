package org.corral.policy.placement;

import java.util.List;
import org.corral.model.vm.PlacementPolicy;

/** Builds the pipeline of each placement policy: the one place that says what runs in what order. */
final class Pipelines {
  private Pipelines() {}

  static Pipeline build(PlacementPolicy policy) {
    List<HostFilter> filters = List.of(
        // 1. State: a flag, and the most common rejection in a lab with hosts off or in maintenance.
        new HostUpFilter(),
        // 1a. A flag: UP but never answered a check since the controller started.
        new HostCheckedFilter(),
        // 1b. A flag set only by what-if sessions (hosts being drained); never rejects otherwise.
        new HostExcludedFilter(),
        // 1c. A flag: reserved spares take only a failed host's VMs, in a recovery's spare pass.
        new SpareHostFilter(),
        // 1d. A flag, then (only on such a host) a look at the VM's disks: a host cut from the
        //     shared storage takes no VM with a disk there.
        new StorageLeaseFilter(),
        // 2-3. Capacity: two subtractions; memory first, since it is never overcommitted and
        //      binds far more often than CPU.
        new MemoryFitFilter(),
        new CpuFitFilter(),
        // 4-5. Groups: one hash lookup and a bit test each, only for VMs that belong to a group.
        new AntiAffinityFilter(),
        new AffinityFilter(),
        // 6. Requirements last: a CEL evaluation, memoised per host, but still the dearest check.
        new RequirementsFilter());
    // Scorer per policy. PACKING and STRIPING have an index order that matches their scorer
    // within a capacity class, so they walk an index; the others score every feasible host.
    return switch (policy) {
      case PACKING -> new Pipeline(policy, filters, new PackingScorer(), HostOrder.TIGHTEST_FIRST);
      case STRIPING -> new Pipeline(policy, filters, new StripingScorer(), HostOrder.EMPTIEST_FIRST);
      case LOAD_AWARE -> new Pipeline(policy, filters, new LoadAwareScorer(), null);
      case POWER_AWARE -> new Pipeline(policy, filters, new PowerAwareScorer(), null);
      case CUSTOM -> new Pipeline(policy, filters, new CustomRankScorer(), null);
    };
  }
}
