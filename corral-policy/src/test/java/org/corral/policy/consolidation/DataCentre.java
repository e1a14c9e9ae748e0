package org.corral.policy.consolidation;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.corral.model.host.Host;
import org.corral.model.host.HostCapacity;
import org.corral.model.host.HostState;
import org.corral.model.host.PowerModel;
import org.corral.model.host.PowerSpec;
import org.corral.model.snapshot.HostMetrics;
import org.corral.model.snapshot.HostObservation;
import org.corral.model.snapshot.Samples;
import org.corral.model.snapshot.Snapshot;
import org.corral.model.snapshot.VmObservation;
import org.corral.model.vm.DesiredState;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmSpec;
import org.corral.model.vm.VmState;

/** A snapshot builder for consolidation tests: hosts with measured histories, VMs with measured use. */
final class DataCentre {
  static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  private final Map<String, Host> hosts = new HashMap<>();
  private final Map<String, Vm> vms = new HashMap<>();
  private final Map<String, double[]> hostHistory = new HashMap<>();
  private final Map<String, Double> vmUse = new HashMap<>();
  private final Map<String, Integer> emptyPolls = new HashMap<>();
  private final Map<String, double[]> vmHistories = new HashMap<>();

  /** An UP host of {@code cores} cores and {@code memoryMib}, idle {@code idle} W, max {@code max} W. */
  DataCentre host(String name, int cores, long memoryMib, double idle, double max) {
    return host(name, cores, memoryMib, idle, max, HostState.UP);
  }

  DataCentre host(String name, int cores, long memoryMib, double idle, double max, HostState state) {
    return host(name, cores, memoryMib, PowerModel.linear(idle, max), state);
  }

  /** A host with any power model (an 11-point SPECpower-style table, say). */
  DataCentre host(String name, int cores, long memoryMib, PowerModel model, HostState state) {
    hosts.put(name, new Host(name, "sim://dc/" + name, new HostCapacity(cores, 2600, memoryMib), Map.of(),
        new PowerSpec("sim://dc/" + name, null, null), model, state, "test", NOW.minusSeconds(3600), 1));
    return this;
  }

  /** Host utilisation history, oldest first (the detectors read it). */
  DataCentre history(String host, double... samples) {
    hostHistory.put(host, samples);
    return this;
  }

  /** A VM's utilisation history, 12 samples oldest first (its last is its current use). */
  DataCentre vmHistory(String vm, double[] samples) {
    vmHistories.put(vm, samples);
    return this;
  }

  /** A RUNNING VM on {@code host} using {@code use} of its vCPUs, settled for an hour. */
  DataCentre vm(String name, String host, int cpus, long memoryMib, double use) {
    vms.put(name, new Vm(name, "uuid-" + name, VmSpec.of(cpus, memoryMib), "t", VmState.RUNNING, DesiredState.RUNNING, host,
        null, List.of(), "running", NOW.minusSeconds(7200), NOW.minusSeconds(3600), 3));
    vmUse.put(name, use);
    return this;
  }

  DataCentre pending(String name, int cpus, long memoryMib) {
    vms.put(name, Vm.pending(name, "uuid-" + name, VmSpec.of(cpus, memoryMib), "t", List.of(), NOW.minusSeconds(10)));
    return this;
  }

  /** The host was seen empty for its last {@code polls} polls. */
  DataCentre emptyFor(String host, int polls) {
    emptyPolls.put(host, polls);
    return this;
  }

  Snapshot snapshot() {
    Map<String, List<Vm>> byHost = new HashMap<>();
    for (Vm vm : vms.values()) {
      if (vm.host() != null) {
        byHost.computeIfAbsent(vm.host(), k -> new java.util.ArrayList<>()).add(vm);
      }
    }
    Map<String, HostObservation> observed = new HashMap<>();
    for (Host h : hosts.values()) {
      if (h.state() != HostState.UP) {
        continue;
      }
      Map<String, VmObservation> onHost = new HashMap<>();
      long memory = 0;
      for (Vm vm : byHost.getOrDefault(h.name(), List.of())) {
        {
          Samples cpu = Samples.empty(12);
          double[] given = vmHistories.get(vm.name());
          for (int i = 0; i < 12; i++) {
            cpu = cpu.append(given != null ? given[i] : vmUse.get(vm.name()));
          }
          onHost.put(vm.name(), new VmObservation(h.name(), cpu, vm.spec().memoryMib(), NOW));
          memory += vm.spec().memoryMib();
        }
      }
      Samples cpu = Samples.empty(12);
      for (double d : hostHistory.getOrDefault(h.name(), new double[0])) {
        cpu = cpu.append(d);
      }
      Samples mem = Samples.empty(12);
      int empty = emptyPolls.getOrDefault(h.name(), 0);
      for (int i = 0; i < 12; i++) {
        mem = mem.append(i >= 12 - empty ? 0 : Math.max(memory, 1) / (double) h.capacity().memoryMib());
      }
      observed.put(h.name(), new HostObservation(NOW, 100, 0, null, false, cpu, mem, HostMetrics.NONE, onHost, NOW));
    }
    return new Snapshot(1, NOW, 7, hosts, vms, Map.of(), Map.of(), observed);
  }
}
