package org.corral.policy.bench;

import java.lang.management.ManagementFactory;
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
 * Arguments: {@code [warmups] [runs]}, default 3 and 7. Elapsed time is read with
 * {@link System#nanoTime()}: measuring real elapsed time is the one thing a benchmark must do.
 */
public final class PlacementBenchmark {
  private static final long SEED = 20261126L;

  private final int warmups;
  private final int runs;
  private final List<String> rows = new ArrayList<>();

  private PlacementBenchmark(int warmups, int runs) {
    this.warmups = warmups;
    this.runs = runs;
  }

  public static void main(String[] args) {
    int warmups = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    new PlacementBenchmark(warmups, runs).all();
  }

  private void all() {
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
    System.out.println("| scenario | hosts | VMs placed / given | median ms | min ms | placements/s (median) | target | met |");
    System.out.println("|---|---:|---:|---:|---:|---:|---|---|");
    rows.forEach(System.out::println);
    System.out.println();
    System.out.println(heapLine(hosts10k, loaded10k));
  }

  private void throughput(String name, Snapshot snapshot, List<Vm> vms, PlacementPolicy policy, int targetPerSecond) {
    Measured m = measure(() -> new Scheduler(new SchedulerSettings(policy, 1.0)).place(snapshot, vms));
    double perSecond = vms.size() / (m.medianMs / 1000.0);
    String target = targetPerSecond == 0 ? "-" : "≥ " + String.format(Locale.ROOT, "%,d", targetPerSecond) + "/s";
    String met = targetPerSecond == 0 ? "" : perSecond >= targetPerSecond ? "yes" : "NO";
    row(name, snapshot, m, vms.size(), String.format(Locale.ROOT, "%,.0f", perSecond), target, met);
  }

  private void cycle(String name, Snapshot snapshot, List<Vm> vms, PlacementPolicy policy, int targetMs) {
    Measured m = measure(() -> new Scheduler(new SchedulerSettings(policy, 1.0)).place(snapshot, vms));
    String target = targetMs == 0 ? "-" : "< " + targetMs + " ms";
    String met = targetMs == 0 ? "" : m.medianMs < targetMs ? "yes" : "NO";
    row(name, snapshot, m, vms.size(), String.format(Locale.ROOT, "%,.0f", vms.size() / (m.medianMs / 1000.0)), target, met);
  }

  private void row(String name, Snapshot s, Measured m, int given, String perSecond, String target, String met) {
    String line = String.format(Locale.ROOT, "| %s | %,d | %,d / %,d | %.1f | %.1f | %s | %s | %s |", name,
        s.hosts().size(), m.placed, given, m.medianMs, m.minMs, perSecond, target, met);
    System.out.println(line);
    rows.add(line);
  }

  private Measured measure(Supplier<PlacementResult> call) {
    PlacementResult last = null;
    for (int i = 0; i < warmups; i++) {
      last = call.get();
    }
    double[] ms = new double[runs];
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      last = call.get();
      ms[i] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(ms);
    return new Measured(ms[runs / 2], ms[0], last == null ? 0 : last.placements().size());
  }

  private static String heapLine(Object... keepAlive) {
    System.gc();
    var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    return String.format(Locale.ROOT, "Heap used after GC with the 10,000-host lab (50,000 running VMs) loaded: %.0f MiB (max %.0f MiB); %d objects kept alive.",
        heap.getUsed() / 1048576.0, heap.getMax() / 1048576.0, keepAlive.length);
  }

  private record Measured(double medianMs, double minMs, int placed) {}
}
