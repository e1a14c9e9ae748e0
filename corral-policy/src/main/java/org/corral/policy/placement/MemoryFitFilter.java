package org.corral.policy.placement;

/** Memory is never overcommitted: the VM must fit in what the host's VMs leave free. */
final class MemoryFitFilter implements HostFilter {
  static final String REASON = "insufficient-memory";

  @Override
  public String reason() {
    return REASON;
  }

  @Override
  public boolean accepts(PlacementState state, int host, Candidate vm) {
    return state.freeMemory(host) >= vm.memoryMib();
  }

  @Override
  public String explain(int rejected, PlacementState state, Candidate vm) {
    long largest = 0;
    for (int h = 0; h < state.size; h++) {
      if (state.eligible(h)) {
        largest = Math.max(largest, state.freeMemory(h));
      }
    }
    return HostFilter.hosts(rejected, "lacks", "lack") + " memory (needs " + vm.memoryMib() + " MiB, largest free " + largest + " MiB)";
  }
}
