package org.corral.policy.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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

/**
 * A deterministic synthetic data centre: three host sizes (16 cores/64 GiB, 32/128, 64/256),
 * zone and disk labels, measured utilisation, two power curves; VMs of mixed sizes.
 */
final class BenchLab {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final int[] CORES = {16, 32, 64};
  private static final long[] MEMORY_MIB = {64 * 1024, 128 * 1024, 256 * 1024};
  private static final int[] VM_CPUS = {1, 1, 2, 2, 2, 4, 4, 8};
  private static final long[] VM_MEMORY_MIB = {1024, 2048, 2048, 4096, 4096, 4096, 8192, 16384};
  /** A few distinct requirements over labels and metrics, as real tenants would write them. */
  static final List<String> REQUIREMENTS = List.of(
      "host.labels[\"zone\"] == \"a\" || host.labels[\"zone\"] == \"b\"",
      "\"ssd\" in host.labels && host.cpuUtilisation < 0.8",
      "host.labels[\"zone\"] != \"c\" && host.cpuUtilisation < 0.9",
      "host.cores >= 32");

  private BenchLab() {}

  static Map<String, Host> hosts(int count, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Map<String, Host> hosts = new HashMap<>();
    PowerModel older = PowerModel.linear(160, 320);
    PowerModel newer = PowerModel.linear(90, 280);
    for (int i = 0; i < count; i++) {
      int size = r.nextInt(3);
      Map<String, String> labels = new HashMap<>();
      labels.put("zone", String.valueOf((char) ('a' + r.nextInt(3))));
      if (r.nextInt(3) > 0) {
        labels.put("ssd", "true");
      }
      String name = String.format("node%05d", i);
      hosts.put(name, new Host(name, "sim://bench/" + name, new HostCapacity(CORES[size], 2600, MEMORY_MIB[size]), labels,
          null, r.nextBoolean() ? older : newer, HostState.UP, "bench", T0, 1));
    }
    return hosts;
  }

  static Map<String, HostObservation> metrics(Map<String, Host> hosts, long seed) {
    SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
    Map<String, HostObservation> m = new HashMap<>();
    for (String h : hosts.keySet().stream().sorted().toList()) {
      m.put(h, HostObservation.answeredAt(T0, new HostMetrics(r.nextDouble(), 0, 10, T0)));
    }
    return m;
  }

  static VmSpec spec(SplittableRandom r, boolean withRequirements) {
    VmSpec spec = VmSpec.of(VM_CPUS[r.nextInt(VM_CPUS.length)], VM_MEMORY_MIB[r.nextInt(VM_MEMORY_MIB.length)]);
    return withRequirements ? spec.withRequirements(REQUIREMENTS.get(r.nextInt(REQUIREMENTS.size()))) : spec;
  }

  static List<Vm> pending(int count, String prefix, long seed, boolean withRequirements) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Vm> vms = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      vms.add(Vm.pending(prefix + i, "uuid-" + prefix + i, spec(r, withRequirements), "bench", List.of(), T0.plusMillis(i)));
    }
    return vms;
  }

  /** A snapshot whose hosts already run {@code existing} VMs, spread round-robin where they fit. */
  static Snapshot loaded(Map<String, Host> hosts, int existing, long seed) {
    SplittableRandom r = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
    List<Host> ordered = hosts.values().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList();
    Map<String, long[]> used = new HashMap<>();
    Map<String, Vm> vms = new HashMap<>();
    int placed = 0;
    for (int i = 0; placed < existing && i < existing * 4; i++) {
      Host h = ordered.get(r.nextInt(ordered.size()));
      VmSpec spec = spec(r, false);
      long[] u = used.computeIfAbsent(h.name(), k -> new long[2]);
      if (u[0] + spec.cpus() <= h.capacity().cores() && u[1] + spec.memoryMib() <= h.capacity().memoryMib()) {
        u[0] += spec.cpus();
        u[1] += spec.memoryMib();
        String name = "run" + placed++;
        vms.put(name, new Vm(name, "uuid-" + name, spec, "bench", VmState.RUNNING, DesiredState.RUNNING, h.name(), null,
            List.of(), "running", T0, T0, 2));
      }
    }
    return new Snapshot(1, T0, seed, hosts, vms, Map.of(), Map.of(), metrics(hosts, seed));
  }
}
