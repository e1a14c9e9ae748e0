package org.corral.policy.placement;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.corral.model.host.Host;
import org.corral.model.host.HostCapacity;
import org.corral.model.host.HostState;
import org.corral.model.host.PowerModel;
import org.corral.model.snapshot.HostMetrics;
import org.corral.model.snapshot.HostObservation;
import org.corral.model.snapshot.Snapshot;
import org.corral.model.vm.DesiredState;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmSpec;
import org.corral.model.vm.VmState;

/** Builds small hand-made snapshots for placement tests. */
final class Lab {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final Map<String, Host> hosts = new HashMap<>();
  private final Map<String, Vm> vms = new HashMap<>();
  private final Map<String, HostMetrics> metrics = new HashMap<>();
  private long cycle = 7;

  Lab host(String name, int cores, long memoryMib) {
    return host(name, cores, memoryMib, HostState.UP, Map.of());
  }

  Lab host(String name, int cores, long memoryMib, HostState state, Map<String, String> labels) {
    return host(name, cores, memoryMib, state, labels, PowerModel.linear(100, 200));
  }

  Lab host(String name, int cores, long memoryMib, HostState state, Map<String, String> labels, PowerModel power) {
    hosts.put(name, new Host(name, "sim://lab/" + name, new HostCapacity(cores, 2600, memoryMib), labels, null,
        power, state, "test", T0, 1));
    return this;
  }

  /** A RUNNING VM on {@code host}. */
  Lab running(String vm, String host, int cpus, long memoryMib) {
    return running(vm, host, VmSpec.of(cpus, memoryMib));
  }

  Lab running(String vm, String host, VmSpec spec) {
    vms.put(vm, new Vm(vm, "uuid-" + vm, spec, "alice", VmState.RUNNING, DesiredState.RUNNING, host, null,
        List.of(), "running", T0, T0, 3));
    return this;
  }

  private final java.util.Set<String> unchecked = new java.util.HashSet<>();

  Lab pendingInSnapshot(Vm vm) {
    vms.put(vm.name(), vm);
    return this;
  }

  Lab utilisation(String host, double cpu) {
    metrics.put(host, new HostMetrics(cpu, 0, 5, T0));
    return this;
  }

  Lab cycle(long c) {
    this.cycle = c;
    return this;
  }

  /** {@code host} has not answered a check since the controller started. */
  Lab unchecked(String host) {
    unchecked.add(host);
    return this;
  }

  private final Map<String, org.corral.model.snapshot.StorageLeases> leases = new HashMap<>();
  private final Map<String, org.corral.model.image.Image> images = new HashMap<>();

  /** What the shared storage says of {@code host}'s storage leases (UNKNOWN unless set). */
  Lab leases(String host, org.corral.model.snapshot.StorageLeases l) {
    leases.put(host, l);
    return this;
  }

  /** An image, on shared storage or not. */
  Lab image(String name, boolean shared) {
    images.put(name, new org.corral.model.image.Image(name, "default", name + ".qcow2", "qcow2", 10, shared));
    return this;
  }

  Snapshot snapshot() {
    Map<String, HostObservation> observed = new java.util.HashMap<>();
    for (String h : hosts.keySet()) {
      if (!unchecked.contains(h)) {
        observed.put(h, HostObservation.answeredAt(T0, metrics.getOrDefault(h, HostMetrics.NONE))
            .withLeases(leases.getOrDefault(h, org.corral.model.snapshot.StorageLeases.UNKNOWN)));
      }
    }
    return new Snapshot(cycle, T0, 42, hosts, vms, Map.of(), images, observed);
  }

  static Vm pending(String name, VmSpec spec) {
    return Vm.pending(name, "uuid-" + name, spec, "alice", List.of(), T0);
  }

  static Vm pending(String name, int cpus, long memoryMib) {
    return pending(name, VmSpec.of(cpus, memoryMib));
  }
}
