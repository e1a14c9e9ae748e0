package org.corral.policy.placement;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.corral.model.host.HostState;
import org.corral.model.host.PowerModel;
import org.corral.model.snapshot.Snapshot;
import org.corral.model.vm.PlacementPolicy;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmSpec;

/**
 * A random but seeded scenario for property tests: hosts of mixed sizes, states and power curves,
 * existing VMs that fit, and pending VMs with every kind of constraint.
 */
record RandomLab(Snapshot snapshot, List<Vm> pending, SchedulerSettings settings) {
  private static final int[] CORES = {2, 4, 8, 16};
  private static final long[] MEMORY = {4096, 8192, 16384};
  private static final String[] REQUIREMENTS = {
      null, null, null,
      "host.labels[\"zone\"] == \"a\"",
      "\"ssd\" in host.labels && host.cpuUtilisation < 0.8",
      "host.free.memoryMib >= 2 * vm.memoryMib",
      "host.vms < 3"};
  private static final String[] GROUPS = {null, null, null, "g1", "g2"};

  static RandomLab generate(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Lab lab = new Lab();
    int hosts = r.nextInt(0, 13);
    double overcommit = new double[] {0.5, 1.0, 2.0}[r.nextInt(3)];
    int existing = 0;
    for (int h = 0; h < hosts; h++) {
      String name = "h" + h;
      int cores = CORES[r.nextInt(CORES.length)];
      long memory = MEMORY[r.nextInt(MEMORY.length)];
      HostState state = r.nextInt(10) < 7 ? HostState.UP : HostState.values()[r.nextInt(HostState.values().length)];
      Map<String, String> labels = r.nextBoolean() ? Map.of("zone", r.nextBoolean() ? "a" : "b") : Map.of("ssd", "yes");
      double idle = 50 + r.nextInt(100);
      lab.host(name, cores, memory, state, labels, PowerModel.linear(idle, idle + r.nextInt(300)));
      lab.utilisation(name, r.nextDouble());
      // Existing VMs that fit (memory exactly, CPU within the overcommit).
      long freeMemory = memory;
      double freeCpus = cores * overcommit;
      for (int k = r.nextInt(0, 4); k > 0; k--) {
        int cpus = r.nextInt(1, 4);
        long mem = 512L * r.nextInt(1, 9);
        if (mem <= freeMemory && cpus <= freeCpus) {
          freeMemory -= mem;
          freeCpus -= cpus;
          lab.running("e" + existing++, name, VmSpec.of(cpus, mem).withGroups(group(r), group(r)));
        }
      }
    }
    List<Vm> pending = new ArrayList<>();
    for (int i = r.nextInt(0, 26); i > 0; i--) {
      PlacementPolicy policy = r.nextInt(3) == 0 ? PlacementPolicy.values()[r.nextInt(PlacementPolicy.values().length)] : null;
      String rank = policy == PlacementPolicy.CUSTOM ? (r.nextBoolean() ? "host.free.memoryMib" : "-host.cpuUtilisation") : null;
      VmSpec spec = VmSpec.of(r.nextInt(1, 5), 512L * r.nextInt(1, 13))
          .withRequirements(REQUIREMENTS[r.nextInt(REQUIREMENTS.length)])
          .withPolicy(policy, rank)
          .withGroups(group(r), group(r));
      pending.add(Lab.pending("p" + i, spec));
    }
    PlacementPolicy defaultPolicy = PlacementPolicy.values()[r.nextInt(PlacementPolicy.values().length - 1)];
    return new RandomLab(lab.snapshot(), List.copyOf(pending), new SchedulerSettings(defaultPolicy, overcommit));
  }

  private static String group(SplittableRandom r) {
    return GROUPS[r.nextInt(GROUPS.length)];
  }
}
