package org.corral.sim;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleConsumer;
import org.corral.model.InvalidInputException;
import org.corral.model.plan.Plan;
import org.corral.model.plan.RecordingPlanner;
import org.corral.model.vm.PlacementPolicy;
import org.corral.policy.consolidation.Consolidation;
import org.corral.policy.consolidation.ConsolidationPolicies;
import org.corral.policy.consolidation.ConsolidationSettings;
import org.corral.policy.placement.Scheduler;
import org.corral.policy.placement.SchedulerSettings;
import org.corral.sim.trace.Trace;

/**
 * Runs a policy on a trace in a preset's data centre, on virtual time. The policy is Corral's own
 * {@link Consolidation}, found by its published name in {@link ConsolidationPolicies}, deciding on
 * the snapshot the preset builds each interval and handing its plan to a
 * {@link RecordingPlanner}, exactly as the OptimizerLoop hands its plan to the executor; the
 * preset applies what the planner took. {@code npa} and {@code dvfs} are the published baselines
 * that never migrate; {@code corral} and {@code enersis} are Corral's own settings, with Corral's
 * rules (a destination stays under {@code upper}, a cap on migrations per cycle, a cool-down).
 */
public final class Simulator {
  /** The presets, by name. */
  public static final List<String> PRESETS = List.of("cloudsim", "realistic");
  /** The published policies of the benchmark, by name. */
  public static final List<String> PUBLISHED = List.of("thr-mmt-0.8", "iqr-mmt-1.5", "mad-mmt-2.5", "lr-mmt-1.2",
      "lrr-mmt-1.2", "npa", "dvfs");
  /**
   * Corral's own settings, by name: {@code herd} ({@link ConsolidationSettings#HERD}, Corral's own
   * consolidation policy, run when no policy is named), {@code corral}
   * ({@link ConsolidationSettings#DEFAULT}, what the optimizer runs unless configured) and
   * {@code enersis} ({@link ConsolidationSettings#ENERSIS}).
   */
  public static final List<String> CORRAL = List.of("herd", "corral", "enersis");
  /** Every policy name, Corral's own first: what an unknown name is answered with. */
  public static final List<String> NAMES = java.util.stream.Stream.concat(CORRAL.stream(), PUBLISHED.stream()).toList();
  /** The policy run when none is named. */
  public static final String DEFAULT_POLICY = "herd";

  private Simulator() {}

  /**
   * One run. Deterministic: the same trace, preset, policy and seed give the same figures.
   *
   * @param progress receives the fraction of the day done after each interval
   * @throws InvalidInputException for an unknown preset or policy, naming the known ones
   */
  public static SimResult run(Trace trace, String preset, String policy, long seed, DoubleConsumer progress) {
    return run(trace, preset, policy, seed, CloudSimDataCentre.HOSTS, progress);
  }

  /**
   * The same with {@code hosts} hosts (alternating G4 and G5) in place of CloudSim's 800: for
   * traces of other sizes (a synthetic day at scale).
   */
  public static SimResult run(Trace trace, String preset, String policy, long seed, int hosts, DoubleConsumer progress) {
    requirePreset(preset);
    String name = policy.trim().toLowerCase(Locale.ROOT);
    CloudSimDataCentre.Mode mode = mode(name);
    ConsolidationSettings settings = settings(name);
    return run(trace, preset, name, mode, settings, seed, hosts, progress);
  }

  private static void requirePreset(String preset) {
    if (!PRESETS.contains(preset)) {
      throw new InvalidInputException("preset", "'" + preset + "' is not a preset", "use one of " + PRESETS);
    }
  }

  private static CloudSimDataCentre.Mode mode(String name) {
    return switch (name) {
      case "npa" -> CloudSimDataCentre.Mode.NPA;
      case "dvfs" -> CloudSimDataCentre.Mode.DVFS;
      default -> CloudSimDataCentre.Mode.MIGRATE;
    };
  }

  /**
   * The consolidation settings a policy name stands for, or null for the baselines that decide
   * nothing ({@code npa}, {@code dvfs}): what any other driver of the same day (the whole
   * controller, {@code corral simulate --controller}) must run to compare.
   *
   * @throws InvalidInputException for an unknown policy, naming the known ones
   */
  public static @org.jspecify.annotations.Nullable ConsolidationSettings settings(String policy) {
    String name = policy.trim().toLowerCase(Locale.ROOT);
    return mode(name) != CloudSimDataCentre.Mode.MIGRATE ? null : switch (name) {
      case "herd" -> ConsolidationSettings.HERD; // Corral's own policy, the simulator's default
      case "corral" -> ConsolidationSettings.DEFAULT; // Corral's optimizer as configured by default
      case "enersis" -> ConsolidationSettings.ENERSIS;
      default -> {
        ConsolidationPolicies.Pair pair;
        try {
          pair = ConsolidationPolicies.pair("policy", name);
        } catch (InvalidInputException e) {
          throw new InvalidInputException("policy", InvalidInputException.quote(policy) + " is not a policy (" + e.getMessage() + ")",
              "use one of " + String.join(", ", NAMES) + ", or any <detector>-<selector>-<parameter> (detectors thr, iqr, mad, lr, "
                  + "lrr; selectors mmt, mu, mc, rs, second-most-loaded)");
        }
        yield ConsolidationSettings.published(pair.detector(), pair.selector());
      }
    };
  }

  /**
   * The data centre a run of {@code preset} with {@code hosts} hosts starts from: the hosts as the
   * policy sees them and each VM's spec, in trace order (for another driver of the same day).
   *
   * @param hosts                 the hosts, all UP
   * @param vmNames               per trace position, the VM's name in the data centre
   * @param vms                   per trace position, the VM's spec (its type's vCPUs and memory)
   * @param vmHosts               per trace position, the host the VM starts the day on (the preset's start-up layout)
   * @param migrationMibPerSecond how fast a migration copies a VM's memory
   * @param bootSeconds           how long a host takes to switch on (the realistic preset's)
   * @param shutdownSeconds       how long a host takes to switch off (the realistic preset's)
   */
  public record Layout(List<org.corral.model.host.Host> hosts, List<String> vmNames, List<org.corral.model.vm.VmSpec> vms, List<String> vmHosts,
      double migrationMibPerSecond,
      double bootSeconds, double shutdownSeconds) {}

  /** The layout of {@code trace} in {@code preset} on {@code hosts} hosts (see {@link Layout}). */
  public static Layout layout(Trace trace, String preset, int hosts) {
    requirePreset(preset);
    CloudSimDataCentre dc = new CloudSimDataCentre(trace, CloudSimDataCentre.Mode.MIGRATE, preset.equals("realistic"), hosts);
    List<String> names = new ArrayList<>(trace.size());
    List<org.corral.model.vm.VmSpec> vms = new ArrayList<>(trace.size());
    for (int v = 0; v < trace.size(); v++) {
      names.add(dc.vmName(v));
      vms.add(dc.vmSpec(v));
    }
    return new Layout(dc.hostRecords(), names, vms, dc.startHosts(), CloudSimDataCentre.MIGRATION_MIB_PER_SECOND, CloudSimDataCentre.BOOT_SECONDS,
        CloudSimDataCentre.SHUTDOWN_SECONDS);
  }

  /** A run with {@code settings} (null: no decision, the NPA and DVFS baselines), under the name {@code name}. */
  static SimResult run(Trace trace, String preset, String name, CloudSimDataCentre.Mode mode,
      @org.jspecify.annotations.Nullable ConsolidationSettings settings, long seed, int hosts, DoubleConsumer progress) {
    java.util.function.Function<org.corral.model.snapshot.Snapshot, Plan> decide = snapshot -> Plan.of(
        org.corral.model.plan.Origin.OPTIMIZER, snapshot.cycle(), List.of());
    if (settings != null) {
      // CPU may be over-committed freely: CloudSim's hosts share by current demand (§1.6), not by vCPUs.
      Scheduler scheduler = new Scheduler(new SchedulerSettings(PlacementPolicy.PACKING, 64));
      Consolidation consolidation = new Consolidation(scheduler, settings, Duration.ofSeconds(trace.intervalSeconds()));
      decide = snapshot -> decide(consolidation, snapshot);
    }
    long start = System.nanoTime();
    CloudSimDataCentre dc = new CloudSimDataCentre(trace, mode, preset.equals("realistic"), hosts);
    dc.run(decide, seed, progress);
    double wall = (System.nanoTime() - start) / 1e9;
    Ledger l = dc.ledger();
    List<SimResult.Point> points = new ArrayList<>();
    for (CloudSimDataCentre.Interval i : dc.intervals()) {
      points.add(new SimResult.Point(i.time(), i.activeHosts(), i.watts(), i.demandMips(), i.activeMips(), i.migrations()));
    }
    // Realistic: power-offs are hosts switched off; cloudsim: hosts going idle (CloudSim's count).
    long offs = dc.realistic() ? dc.powerOffs() : l.shutdowns();
    double beforeOff = dc.realistic() ? dc.meanUpSecondsBeforeOff() : l.meanTimeBeforeShutdown();
    return new SimResult(name, preset, trace.source(), trace.size(), l.joules() / 3.6e6, dc.migrations(), l.slatah(), l.pdm(),
        offs, beforeOff, dc.boundJoules() / 3.6e6, dc.rejected(), wall, peakHeapMib(), points);
  }

  /** The OptimizerLoop's shape: decide on the snapshot, hand the plan to the planner, apply what it took. */
  private static Plan decide(Consolidation c, org.corral.model.snapshot.Snapshot snapshot) {
    RecordingPlanner planner = new RecordingPlanner();
    Plan plan = c.decide(snapshot, planner);
    planner.submit(plan);
    return new Plan(plan.origin(), plan.cycle(), planner.actions(), plan.notes());
  }

  /** The JVM's peak heap use so far, MiB (every heap pool's peak). */
  public static double peakHeapMib() {
    long bytes = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        bytes += pool.getPeakUsage().getUsed();
      }
    }
    return bytes / (1024.0 * 1024);
  }
}
