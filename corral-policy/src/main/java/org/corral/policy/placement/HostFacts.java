package org.corral.policy.placement;

import java.util.Objects;
import org.jspecify.annotations.Nullable;
import java.util.Map;
import org.corral.policy.expr.ExpressionInputs;

/**
 * What an expression sees of one host (and the VM being placed), read straight from the
 * working arrays. A cursor: {@link #at} moves it, so one instance serves a whole evaluation loop
 * without allocating.
 */
final class HostFacts implements ExpressionInputs {
  private final PlacementState state;
  private int host;
  private @Nullable Candidate vm;

  HostFacts(PlacementState state) {
    this.state = state;
  }

  HostFacts at(int h, Candidate c) {
    this.host = h;
    this.vm = c;
    return this;
  }

  private Candidate candidate() {
    return Objects.requireNonNull(vm, "at() sets the VM before any expression reads it");
  }

  @Override public String hostName() { return state.names[host]; }
  @Override public Map<String, String> hostLabels() { return state.hosts[host].labels(); }
  @Override public long hostCores() { return state.hosts[host].capacity().cores(); }
  @Override public long hostMhzPerCore() { return state.hosts[host].capacity().mhzPerCore(); }
  @Override public long hostMemoryMib() { return state.hosts[host].capacity().memoryMib(); }
  @Override public double hostFreeCpus() { return state.freeCpus(host); }
  @Override public long hostFreeMemoryMib() { return state.freeMemory(host); }
  @Override public double hostCpuUtilisation() { return state.cpuUtilisation[host]; }
  @Override public long hostVms() { return state.vms[host]; }
  @Override public String hostState() { return state.hosts[host].state().name(); }
  @Override public String vmName() { return candidate().name(); }
  @Override public long vmCpus() { return candidate().cpus(); }
  @Override public long vmMemoryMib() { return candidate().memoryMib(); }
  @Override public Map<String, String> vmLabels() { return candidate().labels(); }
}
