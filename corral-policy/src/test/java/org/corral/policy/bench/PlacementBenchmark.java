package org.corral.policy.bench;

import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.corral.model.host.Host;
import org.corral.model.snapshot.Snapshot;
import org.corral.model.vm.PlacementPolicy;
import org.corral.model.vm.Vm;
import org.corral.policy.placement.PlacementResult;
import org.corral.policy.placement.Scheduler;
import org.corral.policy.placement.SchedulerSettings;

/**
 * Placement throughput and cycle latency (ARCHITECTURE.md "Scale"). Run with {@code bench/placement}.
 * Arguments: {@code [warmups] [runs] [only]}, default 3, 7 and all scenarios. Wall time on a
 * shared machine includes waiting for a core, so each row also gives the measuring thread's CPU
 * time (ThreadMXBean) and the GC time per run. Elapsed time is read with
 * {@link System#nanoTime()}: measuring real elapsed time is the one thing a benchmark must do.
 */
public final class PlacementBenchmark {
  private static final long SEED = 20261126L;

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final int warmups;
  private final int runs;
  /** Runs only the scenarios whose name contains this, or whose host count equals it. */
  private final String only;
  private final List<String> rows = new ArrayList<>();

  private PlacementBenchmark(int warmups, int runs, String only) {
    this.warmups = warmups;
    this.runs = runs;
    this.only = only;
  }

  public static void main(String[] args) {
    int warmups = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    new PlacementBenchmark(warmups, runs, args.length > 2 ? args[2] : "").all();
  }

  private void all() {
    double baseline = heapAfterGcMib();
    Map<String, Host> hosts1k = BenchLab.hosts(1_000, SEED);
    Snapshot empty1k = BenchLab.loaded(hosts1k, 0, SEED);
    List<Vm> plain = BenchLab.pending(10_000, "v", SEED, false);
    List<Vm> required = BenchLab.pending(10_000, "r", SEED, true);
    throughput("PACKING", empty1k, plain, PlacementPolicy.PACKING, 20_000);
    throughput("PACKING + requirements on every VM", empty1k, required, PlacementPolicy.PACKING, 5_000);
    throughput("STRIPING", empty1k, plain, PlacementPolicy.STRIPING, 0);
    throughput("STRIPING + requirements on every VM", empty1k, required, PlacementPolicy.STRIPING, 0);
    throughput("LOAD_AWARE", empty1k, plain, PlacementPolicy.LOAD_AWARE, 0);
    throughput("POWER_AWARE", empty1k, plain, PlacementPolicy.POWER_AWARE, 0);
    Snapshot loaded1k = BenchLab.loaded(hosts1k, 5_000, SEED);
    cycle("cycle: 1,000 pending, 5,000 running, PACKING", loaded1k, BenchLab.pending(1_000, "c", SEED + 1, false),
        PlacementPolicy.PACKING, 100);
    cycle("cycle: 1,000 pending with requirements, 5,000 running", loaded1k, BenchLab.pending(1_000, "c", SEED + 1, true),
        PlacementPolicy.PACKING, 100);

    double with1k = heapAfterGcMib();
    Map<String, Host> hosts10k = BenchLab.hosts(10_000, SEED);
    Snapshot empty10k = BenchLab.loaded(hosts10k, 0, SEED);
    throughput("PACKING", empty10k, plain, PlacementPolicy.PACKING, 0);
    throughput("PACKING + requirements on every VM", empty10k, required, PlacementPolicy.PACKING, 0);
    List<Vm> plain100k = BenchLab.pending(100_000, "w", SEED, false);
    throughput("PACKING", empty10k, plain100k, PlacementPolicy.PACKING, 0);
    throughput("STRIPING", empty10k, plain, PlacementPolicy.STRIPING, 0);
    Snapshot loaded10k = BenchLab.loaded(hosts10k, 50_000, SEED);
    cycle("cycle: 1,000 pending, 50,000 running, PACKING", loaded10k, BenchLab.pending(1_000, "c", SEED + 1, false),
        PlacementPolicy.PACKING, 0);

    System.out.println();
    System.out.println("| scenario | hosts | VMs placed / given | wall median ms | wall min ms | CPU median ms | GC ms/run | placements/s: wall / CPU (medians) | target | met |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---|---|");
    rows.forEach(System.out::println);
    System.out.println();
    double with10k = heapAfterGcMib();
    System.out.println(String.format(Locale.ROOT, "Heap used after GC (MemoryMXBean): %.0f MiB at start; %.0f MiB with the "
        + "1,000-host labs (empty and with 5,000 running VMs) and 20,000 pending VMs; %.0f MiB with the 10,000-host labs "
        + "(empty and with 50,000 running VMs) and 100,000 more pending VMs added.", baseline, with1k, with10k));
    Reference.reachabilityFence(List.of(hosts1k, empty1k, plain, required, loaded1k, hosts10k, empty10k, plain100k, loaded10k));
  }

  private boolean selected(String name, Snapshot s) {
    return only.isEmpty() || name.contains(only) || String.valueOf(s.hosts().size()).equals(only);
  }

  private void throughput(String name, Snapshot snapshot, List<Vm> vms, PlacementPolicy policy, int targetPerSecond) {
    if (!selected(name, snapshot)) {
      return;
    }
    Measured m = measure(() -> new Scheduler(new SchedulerSettings(policy, 1.0)).place(snapshot, vms));
    double perSecond = vms.size() / (m.medianMs / 1000.0);
    double perCpuSecond = vms.size() / (m.cpuMs / 1000.0);
    String target = targetPerSecond == 0 ? "-" : "≥ " + String.format(Locale.ROOT, "%,d", targetPerSecond) + "/s";
    String met = targetPerSecond == 0 ? "" : verdict(perSecond >= targetPerSecond, perCpuSecond >= targetPerSecond);
    row(name, snapshot, m, vms.size(), String.format(Locale.ROOT, "%,.0f / %,.0f", perSecond, perCpuSecond), target, met);
  }

  private void cycle(String name, Snapshot snapshot, List<Vm> vms, PlacementPolicy policy, int targetMs) {
    if (!selected(name, snapshot)) {
      return;
    }
    Measured m = measure(() -> new Scheduler(new SchedulerSettings(policy, 1.0)).place(snapshot, vms));
    String target = targetMs == 0 ? "-" : "< " + targetMs + " ms";
    String met = targetMs == 0 ? "" : verdict(m.medianMs < targetMs, m.cpuMs < targetMs);
    row(name, snapshot, m, vms.size(), String.format(Locale.ROOT, "%,.0f / %,.0f", vms.size() / (m.medianMs / 1000.0),
        vms.size() / (m.cpuMs / 1000.0)), target, met);
  }

  private static String verdict(boolean byWall, boolean byCpu) {
    return byWall ? "yes" : byCpu ? "CPU time only" : "NO";
  }

  private void row(String name, Snapshot s, Measured m, int given, String perSecond, String target, String met) {
    String line = String.format(Locale.ROOT, "| %s | %,d | %,d / %,d | %.1f | %.1f | %.1f | %.1f | %s | %s | %s |", name,
        s.hosts().size(), m.placed, given, m.medianMs, m.minMs, m.cpuMs, m.gcMs, perSecond, target, met);
    System.out.println(line);
    rows.add(line);
  }

  private Measured measure(Supplier<PlacementResult> call) {
    PlacementResult last = null;
    for (int i = 0; i < warmups; i++) {
      last = call.get();
    }
    double[] ms = new double[runs];
    double[] cpuMs = new double[runs];
    long gcBefore = gcMillis();
    for (int i = 0; i < runs; i++) {
      long cpuStart = THREADS.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      last = call.get();
      ms[i] = (System.nanoTime() - start) / 1e6;
      cpuMs[i] = (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e6;
    }
    double gcPerRun = (gcMillis() - gcBefore) / (double) runs;
    Arrays.sort(ms);
    Arrays.sort(cpuMs);
    return new Measured(ms[runs / 2], ms[0], cpuMs[runs / 2], gcPerRun, last == null ? 0 : last.placements().size());
  }

  private static double heapAfterGcMib() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
  }

  private static long gcMillis() {
    long total = 0;
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, gc.getCollectionTime());
    }
    return total;
  }

  private record Measured(double medianMs, double minMs, double cpuMs, double gcMs, int placed) {}
}
