package org.corral.controller.boot;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleConsumer;
import org.corral.controller.Controller;
import org.corral.controller.ControllerSettings;
import org.corral.controller.GuardianSettings;
import org.corral.controller.JournalRetention;
import org.corral.controller.OptimizerSettings;
import org.corral.controller.command.HostRequest;
import org.corral.controller.command.VmRequest;
import org.corral.controller.executor.ExecutorSettings;
import org.corral.controller.store.InMemoryStore;
import org.corral.drivers.Drivers;
import org.corral.drivers.sim.SimDataCenter;
import org.corral.drivers.sim.SimGuestExec;
import org.corral.drivers.sim.SimHypervisorDriver;
import org.corral.drivers.sim.SimLatencies;
import org.corral.drivers.sim.SimPowerDriver;
import org.corral.drivers.sim.WorkloadModel;
import org.corral.model.host.HostCapacity;
import org.corral.model.host.HostState;
import org.corral.model.host.PowerModel;
import org.corral.model.host.PowerSpec;
import org.corral.model.image.Image;
import org.corral.model.network.Network;
import org.corral.model.time.VirtualClock;
import org.corral.model.vm.PlacementPolicy;
import org.corral.model.vm.VmState;
import org.corral.policy.consolidation.ConsolidationSettings;
import org.corral.policy.placement.SchedulerSettings;
import org.jspecify.annotations.Nullable;

/**
 * A whole controller (Monitor, scheduling and optimizer loops, executor, in-memory store) over the
 * simulated data centre driver, on virtual time, replaying a workload: the production path of a
 * trace-driven simulation ({@code corral simulate --controller}). The caller describes the hosts
 * and the VMs with their utilisation samples (it knows nothing of where they come from: the
 * controller does not depend on the simulator); the controller places the VMs, the workloads
 * start, and the day runs interval by interval with the optimizer in full automation.
 */
public final class VirtualRun {
  /** A host: its capacity and power model, powered on at the start. */
  public record HostShape(String name, HostCapacity capacity, PowerModel power) {}

  /**
   * A VM, its CPU demand (a share of its vCPUs per sample) and the host it starts the day on, or
   * null to leave it where the scheduler places it.
   */
  public record VmShape(String name, int cpus, long memoryMib, double[] utilisation, @Nullable String host) {
    /** A VM the scheduler places. */
    public VmShape(String name, int cpus, long memoryMib, double[] utilisation) {
      this(name, cpus, memoryMib, utilisation, null);
    }
  }

  /** The state after an interval: hosts not off, and migrations done so far. */
  public record Point(double seconds, int hostsOn, double joules, long migrations) {}

  /**
   * What the day cost: energy the controller's meter measured from the start of the workload (and
   * what the simulated hosts drew, integrated exactly: the meter's own error is the difference),
   * migrations and host power-offs that succeeded, actions the executor gave up on, and VMs never placed.
   */
  public record Result(double joules, double exactJoules, long migrations, long powerOffs, long failedActions, int unplaced,
      List<Point> points) {}

  /** How long things take: VMs start at once, migrations copy at {@code migrationMibPerSecond}, hosts boot and shut down. */
  public record Timing(double migrationMibPerSecond, Duration powerOn, Duration powerOff) {}

  private VirtualRun() {}

  /**
   * Runs the day: {@code samples} intervals of {@code interval} after every VM is RUNNING on its
   * host. The day starts on a Monitor poll (every VM's workload plays from its beginning there),
   * so that each poll's samples are the mean of one interval of the trace; the optimizer decides
   * {@link #DECISION_LAG} after each poll, on what that poll measured, from the first interval's
   * end on (a simulator decides at the same instants).
   *
   * @param consolidation the optimizer's settings, or null to run without it (it decides nothing)
   * @param progress      receives the fraction of the day done after each interval
   */
  public static Result run(List<HostShape> hosts, List<VmShape> vms, Duration interval, int samples,
      @Nullable ConsolidationSettings consolidation, Timing timing, long seed, DoubleConsumer progress) {
    VirtualClock clock = new VirtualClock();
    SimDataCenter dc = new SimDataCenter("virtual", clock, seed, new SimLatencies(Duration.ZERO, Duration.ZERO, Duration.ZERO,
        Duration.ZERO, timing.migrationMibPerSecond(), timing.powerOn(), timing.powerOff()));
    for (HostShape h : hosts) {
      dc.addHost(h.name(), h.capacity(), h.power(), true);
    }
    dc.setDefaultWorkload(WorkloadModel.constant(0)); // until the day starts: nothing in the histories but the day
    // CPU may be over-committed freely, as in the simulator: hosts share by current demand.
    SchedulerSettings scheduler = new SchedulerSettings(PlacementPolicy.PACKING, 64);
    ConsolidationSettings policy = consolidation == null ? ConsolidationSettings.DEFAULT : consolidation;
    // Off while the VMs are created and put on their hosts; in full automation from the day's first decision.
    OptimizerSettings off = new OptimizerSettings(OptimizerSettings.Automation.OFF, interval, policy);
    ControllerSettings settings = new ControllerSettings(seed, interval, Duration.ofSeconds(10), Duration.ofSeconds(15),
        // Liveness judged on the full reads (a beat a second over a simulated day would cost more than the day).
        GuardianSettings.DEFAULT.withBeats(interval, 1, 3),
        ControllerSettings.DEFAULT.utilisationWindow(), scheduler, executor(hosts.size() + vms.size()), off,
        JournalRetention.DEFAULT);
    Drivers drivers = new Drivers().hypervisor(new SimHypervisorDriver(dc)).power(new SimPowerDriver(dc)).guest(new SimGuestExec(dc));
    MeterRegistry meters = new SimpleMeterRegistry();
    Controller controller = new Controller(settings, clock, new InMemoryStore(), drivers, meters);
    try {
      controller.start();
      Instant started = clock.now(); // the Monitor polls at started + k × interval
      for (HostShape h : hosts) {
        List<Double> table = h.power().watts();
        controller.commands().addHost(new HostRequest(h.name(), dc.uriOf(h.name()), h.capacity(), Map.of(),
            new PowerSpec(dc.uriOf(h.name()), null, null), new HostRequest.PowerModelRequest(null, null, table,
                h.power().offWatts())), "simulate");
      }
      controller.commands().createNetwork(new Network("default", "br0", "10.0.0.0/16", "10.0.0.1", null, null, Network.DEFAULT_MAC_START), "simulate");
      controller.commands().createImage(new Image("trace", "default", "trace.qcow2", "qcow2", 1, true), "simulate");
      clock.advance(Duration.ofSeconds(1));
      List<VmRequest> requests = new ArrayList<>(vms.size());
      for (VmShape v : vms) {
        requests.add(VmRequest.of(v.name(), v.cpus(), v.memoryMib()));
      }
      controller.commands().createVms(requests, "simulate");
      clock.advanceUntil(() -> controller.state().vms().stream().allMatch(v -> v.state() == VmState.RUNNING),
          Duration.ofSeconds(1), Duration.ofMinutes(10));
      int misplaced = moveToTheirHosts(controller, clock, vms);
      // The day starts on the Monitor's next poll.
      long periods = (Duration.between(started, clock.now()).toNanos() + interval.toNanos() - 1) / interval.toNanos();
      clock.advance(Duration.between(clock.now(), started.plus(interval.multipliedBy(periods))));
      for (VmShape v : vms) {
        List<Double> values = new ArrayList<>(v.utilisation().length);
        for (double u : v.utilisation()) {
          values.add(u);
        }
        dc.playWorkload(v.name(), new WorkloadModel.Trace(values, interval, false));
      }
      int unplaced = (int) controller.state().vms().stream().filter(v -> v.state() != VmState.RUNNING).count() + misplaced;
      double exactStart = dc.totalEnergyJoules();
      long migrationsBefore = count(meters, "migrate");
      long powerOffsBefore = count(meters, "power-off");
      List<Point> points = new ArrayList<>(samples);
      clock.advance(DECISION_LAG);
      // The meter counts a running host up to its last poll: read once the day's first poll is in (as at the end).
      double start = controller.energy().report().joules();
      for (int k = 1; k < samples; k++) {
        clock.advance(interval);
        if (k == 1 && consolidation != null) { // its first decision now, then every interval
          controller.updateOptimizer(new OptimizerSettings(OptimizerSettings.Automation.FULL, interval, consolidation), "simulate");
          controller.optimizer().wake();
          clock.runDue();
        }
        int on = (int) controller.state().hosts().stream().filter(h -> h.state() != HostState.OFF).count();
        points.add(new Point(k * (double) interval.toSeconds(), on, controller.energy().report().joules() - start,
            count(meters, "migrate") - migrationsBefore));
        progress.accept(k / (double) (samples - 1));
      }
      double joules = controller.energy().report().joules() - start;
      long failed = 0;
      for (Counter c : meters.find("corral_actions_total").tag("outcome", "failed").counters()) {
        failed += (long) c.count();
      }
      return new Result(joules, dc.totalEnergyJoules() - exactStart, count(meters, "migrate") - migrationsBefore,
          count(meters, "power-off") - powerOffsBefore, failed, unplaced, points);
    } finally {
      controller.stop();
    }
  }

  /**
   * The executor's settings for a simulated data centre: CPU over-committed freely, and no limit
   * on actions at once (the default 8 migrations and 4 power actions at once are for a real
   * network and real BMCs; the simulated one copies every migration at its own rate, as the
   * simulator does).
   */
  private static ExecutorSettings executor(int unlimited) {
    ExecutorSettings d = ExecutorSettings.DEFAULT;
    return new ExecutorSettings(unlimited, unlimited, unlimited, unlimited, unlimited, d.actionTimeout(), d.maxAttempts(),
        d.backoffBase(), d.backoffMax(), d.shutdownTimeout(), d.powerOnTimeout(), d.powerOffTimeout(), d.powerPollInterval(), 64,
        d.migration());
  }

  /** How long after each Monitor poll the optimizer decides: time for the poll's answers to arrive. */
  public static final Duration DECISION_LAG = Duration.ofMillis(100);

  /**
   * Migrates every VM that has a host of its own to it (those the scheduler put elsewhere), in
   * rounds until all are there (a host may first have to let go of VMs bound elsewhere); returns
   * how many could not be moved.
   */
  private static int moveToTheirHosts(Controller controller, VirtualClock clock, List<VmShape> vms) {
    List<VmShape> wanted = vms.stream().filter(v -> v.host() != null).toList();
    for (int round = 0; round < 50; round++) {
      List<VmShape> away = wanted.stream().filter(v -> !onItsHost(controller, v)).toList();
      if (away.isEmpty()) {
        return 0;
      }
      for (VmShape v : away) {
        var vm = controller.state().vm(v.name()).orElse(null);
        if (vm != null && vm.state() == VmState.RUNNING && !controller.executor().isBusy(v.name())) {
          try {
            controller.commands().migrateVm(v.name(), v.host(), "simulate");
          } catch (RuntimeException e) {
            // no room there yet: the next round, once VMs bound elsewhere have left
          }
        }
      }
      clock.advanceUntil(() -> away.stream().allMatch(v -> controller.state().vm(v.name())
          .map(vm -> vm.state() == VmState.RUNNING && !controller.executor().isBusy(v.name())).orElse(true)),
          Duration.ofSeconds(1), Duration.ofMinutes(10));
    }
    return (int) wanted.stream().filter(v -> !onItsHost(controller, v)).count();
  }

  private static boolean onItsHost(Controller controller, VmShape v) {
    return controller.state().vm(v.name()).map(vm -> vm.state() == VmState.RUNNING && java.util.Objects.equals(vm.host(), v.host()))
        .orElse(false);
  }

  /** Actions of {@code verb} that succeeded. */
  private static long count(MeterRegistry meters, String verb) {
    Counter c = meters.find("corral_actions_total").tag("verb", verb).tag("outcome", "succeeded").counter();
    return c == null ? 0 : (long) c.count();
  }

}
