package org.corral.policy.cluster;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.corral.model.cluster.ClusterSpec;
import org.corral.model.host.Host;
import org.corral.model.host.HostCapacity;
import org.corral.model.host.HostState;
import org.corral.model.host.PowerModel;
import org.corral.model.snapshot.HostMetrics;
import org.corral.model.snapshot.HostObservation;
import org.corral.model.snapshot.Snapshot;
import org.corral.model.vm.DesiredState;
import org.corral.model.vm.NicLease;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmSpec;
import org.corral.model.vm.VmState;

/** Hand-made snapshots of hosts and cluster members for cluster policy tests. */
final class ClusterLab {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final Map<String, Host> hosts = new HashMap<>();
  private final Map<String, Vm> vms = new HashMap<>();
  private long cycle = 1;

  ClusterLab host(String name, int cores, long memoryMib, Map<String, String> labels) {
    hosts.put(name, new Host(name, "sim://lab/" + name, new HostCapacity(cores, 2600, memoryMib), labels, null,
        PowerModel.linear(100, 200), HostState.UP, "test", T0, 1));
    return this;
  }

  ClusterLab hosts(int n) {
    for (int i = 1; i <= n; i++) {
      host("h" + i, 8, 16_384, Map.of());
    }
    return this;
  }

  /** A member VM of {@code cluster} in {@code state} with address 10.0.0.N (N its position among the VMs). */
  ClusterLab member(String cluster, String role, int index, VmState state) {
    String name = cluster + "-" + role + "-" + index;
    VmSpec spec = VmSpec.of(1, 1024);
    spec = new VmSpec(1, 1024, List.of(), List.of(), null, null, null, null, null, spec.ha(), null,
        Map.of(ClusterSpec.CLUSTER_LABEL, cluster, ClusterSpec.ROLE_LABEL, role));
    String host = state == VmState.PENDING ? null : "h1";
    vms.put(name, new Vm(name, "uuid-" + name, spec, "alice", state, DesiredState.RUNNING, host, null,
        List.of(new NicLease("default", "10.0.0." + (vms.size() + 2), "52:54:00:01:00:0" + vms.size())), "test", T0, T0, 2));
    return this;
  }

  ClusterLab vm(Vm vm) {
    vms.put(vm.name(), vm);
    return this;
  }

  ClusterLab remove(String vm) {
    vms.remove(vm);
    return this;
  }

  Vm vm(String name) {
    return java.util.Objects.requireNonNull(vms.get(name), name);
  }

  boolean has(String name) {
    return vms.containsKey(name);
  }

  /** A RUNNING VM of {@code spec} with the next address, as if the scheduler had placed it on h1. */
  ClusterLab running(String name, VmSpec spec) {
    vms.put(name, new Vm(name, "uuid-" + name + "-" + (++incarnation), spec, "alice", VmState.RUNNING, DesiredState.RUNNING, "h1", null,
        List.of(new NicLease("default", "10.0.0." + (++addresses), "52:54:00:01:00:" + String.format("%02x", addresses))), "test", T0, T0, 2));
    return this;
  }

  private int incarnation;
  private int addresses = 1;

  ClusterLab cycle(long c) {
    cycle = c;
    return this;
  }

  Snapshot snapshot() {
    Map<String, HostObservation> observed = new HashMap<>();
    for (String h : hosts.keySet()) {
      observed.put(h, HostObservation.answeredAt(T0, HostMetrics.NONE));
    }
    return new Snapshot(cycle, T0, 42, hosts, vms, Map.of(), Map.of(), observed);
  }
}
