package org.corral.policy.consolidation;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.corral.model.plan.Action;
import org.corral.model.plan.Plan;
import org.corral.model.plan.RecordingPlanner;
import org.corral.model.snapshot.Snapshot;
import org.corral.model.vm.PlacementPolicy;
import org.corral.policy.placement.Scheduler;
import org.corral.policy.placement.SchedulerSettings;

/**
 * One optimizer decision (detect, select, place, plan power) on synthetic data centres: 800 hosts
 * and 1,000 VMs (the PlanetLab benchmark's size), and 10,000 hosts and 20,000 VMs. Hosts alternate
 * two sizes and power models; VMs of 1-4 vCPUs and 1-8 GiB are spread over the hosts with
 * utilisation skewed low, as in PlanetLab (most VMs near idle, a few busy), with 12-sample
 * histories. No cap on migrations, as in the published policies; then Corral's default settings
 * (at most 8 migrations a decision). Reports the first decision's wall time (in a fresh JVM for
 * the first row: class loading and the interpreter), then, after a warm-up of at least
 * {@value #WARM_UP_DECISIONS} decisions and {@value #WARM_UP_SECONDS} s (a controller decides
 * every 30 s for days, on compiled code), the median and p90 wall and thread CPU time per
 * decision, the plan's size, and heap. Run with {@code bench/optimizer}.
 */
public final class OptimizerBenchmark {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final int WARM_UP_DECISIONS = 5;
  private static final int WARM_UP_SECONDS = 3;

  public static void main(String[] args) {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 11;
    System.out.println("| hosts | VMs | detector | 1st decision | median wall | p90 wall | median CPU | migrations | power actions "
        + "| heap after GC |");
    System.out.println("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|");
    for (int[] size : new int[][] {{800, 1_000}, {10_000, 20_000}}) {
      for (String detector : new String[] {"lr-1.2", "lrr-1.2", "thr-0.8"}) {
        run(size[0], size[1], detector, new ConsolidationSettings(ConsolidationPolicies.detector("bench", detector),
            new MinimumMigrationTime(), 0.2, 0.8, Duration.ZERO, Integer.MAX_VALUE, 1, 6, 125), runs);
      }
      // Corral's defaults: lrr-1.2, mmt, at most 8 migrations a decision, a 10-minute cool-down.
      run(size[0], size[1], "defaults (lrr-1.2, cap 8)", ConsolidationSettings.DEFAULT, runs);
    }
  }

  private static void run(int hosts, int vms, String detector, ConsolidationSettings settings, int runs) {
    Snapshot s = dataCentre(hosts, vms, 20261204L);
    Consolidation c = new Consolidation(new Scheduler(new SchedulerSettings(PlacementPolicy.PACKING, 2.0)), settings,
        Duration.ofSeconds(300));
    long t = System.nanoTime();
    Plan plan = c.decide(s, new RecordingPlanner());
    double first = (System.nanoTime() - t) / 1e6;
    long warmUntil = t + WARM_UP_SECONDS * 1_000_000_000L;
    for (int i = 1; i < WARM_UP_DECISIONS || System.nanoTime() < warmUntil; i++) {
      plan = c.decide(s, new RecordingPlanner());
    }
    double[] wall = new double[runs];
    double[] cpu = new double[runs];
    for (int i = 0; i < runs; i++) {
      long c0 = THREADS.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      plan = c.decide(s, new RecordingPlanner());
      wall[i] = (System.nanoTime() - t0) / 1e6;
      cpu[i] = (THREADS.getCurrentThreadCpuTime() - c0) / 1e6;
    }
    Arrays.sort(wall);
    Arrays.sort(cpu);
    long migrations = plan.actions().stream().filter(a -> a instanceof Action.MigrateVm).count();
    long power = plan.actions().size() - migrations;
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
    System.out.printf("| %,d | %,d | %s | %.1f ms | %.2f ms | %.2f ms | %.2f ms | %,d | %,d | %,d MiB |%n", hosts, vms,
        detector, first, wall[runs / 2], wall[(int) (runs * 0.9)], cpu[runs / 2], migrations, power, heap);
  }

  /** Hosts h00000..; VMs packed first-fit on memory and vCPUs (2:1 overcommit), low utilisation with a busy tail. */
  static Snapshot dataCentre(int hosts, int vms, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    DataCentre dc = new DataCentre();
    int[] cores = new int[hosts];
    long[] memory = new long[hosts];
    double[] cpus = new double[hosts];
    for (int h = 0; h < hosts; h++) {
      boolean big = h % 2 == 1;
      cores[h] = big ? 32 : 16;
      memory[h] = big ? 131072 : 65536;
      dc.host(String.format("h%05d", h), cores[h], memory[h], big ? 150 : 90, big ? 400 : 250);
      double[] hist = new double[12];
      for (int i = 0; i < 12; i++) {
        hist[i] = Math.min(1, Math.pow(r.nextDouble(), 2) * 0.9);
      }
      dc.history(String.format("h%05d", h), hist);
    }
    int h = 0;
    for (int v = 0; v < vms; v++) {
      int c = 1 + r.nextInt(4);
      long m = 1024L * (1 + r.nextInt(8));
      for (int tries = 0; tries < hosts && (memory[h] < m || cpus[h] + c > 2.0 * cores[h]); tries++) {
        h = (h + 1) % hosts;
      }
      memory[h] -= m;
      cpus[h] += c;
      double[] hist = new double[12];
      double mean = Math.pow(r.nextDouble(), 3);
      for (int i = 0; i < 12; i++) {
        hist[i] = Math.max(0, Math.min(1, mean + (r.nextDouble() - 0.5) * 0.2));
      }
      String name = String.format("v%06d", v);
      dc.vm(name, String.format("h%05d", h), c, m, hist[11]).vmHistory(name, hist);
      h = (h + 1 + r.nextInt(3)) % hosts; // spread, as an unconsolidated data centre is
    }
    return dc.snapshot();
  }
}
