package org.corral.cli.command;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleConsumer;
import org.corral.controller.boot.VirtualRun;
import org.corral.model.host.Host;
import org.corral.sim.SimResult;
import org.corral.sim.Simulator;
import org.corral.sim.trace.Trace;

/**
 * {@code corral simulate --controller}: the same day as the simulator's, run by the whole
 * controller (loops, executor, in-memory store) over the simulated data centre driver on virtual
 * time ({@link VirtualRun}). The CLI is the one place that sees both the simulator (the trace, the
 * preset's hosts and VMs, the policy's settings) and the controller, so the glue is here.
 */
final class ControllerDay {
  private ControllerDay() {}

  /** The controller's row, and the energy the simulated hosts drew by the driver's exact integral (kWh). */
  record Run(SimResult result, double exactKwh) {}

  /**
   * One run of {@code policy} on {@code trace}, reported as a simulator's row named
   * "{@code policy} (controller)". Energy, migrations and power-offs come from the controller's
   * own meters; the SLA figures need the simulator's ledger and are not measured here (NaN);
   * {@code boundKwh} is the simulator's bound for the same day. Each VM starts the day on the host
   * the preset's start-up layout gives it.
   */
  static Run run(Trace trace, String preset, String policy, long seed, int hosts, double boundKwh, DoubleConsumer progress) {
    Simulator.Layout layout = Simulator.layout(trace, preset, hosts);
    List<VirtualRun.HostShape> hostShapes = new ArrayList<>(layout.hosts().size());
    for (Host h : layout.hosts()) {
      hostShapes.add(new VirtualRun.HostShape(h.name(), h.capacity(), h.powerModelOrTypical()));
    }
    List<VirtualRun.VmShape> vms = new ArrayList<>(trace.size());
    for (int v = 0; v < trace.size(); v++) {
      vms.add(new VirtualRun.VmShape(layout.vmNames().get(v), layout.vms().get(v).cpus(), layout.vms().get(v).memoryMib(),
          trace.utilisation().get(v), layout.vmHosts().get(v)));
    }
    Duration interval = Duration.ofSeconds(trace.intervalSeconds());
    VirtualRun.Timing timing = new VirtualRun.Timing(layout.migrationMibPerSecond(),
        Duration.ofMillis(Math.round(layout.bootSeconds() * 1000)), Duration.ofMillis(Math.round(layout.shutdownSeconds() * 1000)));
    long start = System.nanoTime();
    VirtualRun.Result r = VirtualRun.run(hostShapes, vms, interval, trace.samples(), Simulator.settings(policy), timing, seed,
        progress);
    double wall = (System.nanoTime() - start) / 1e9;
    List<SimResult.Point> points = new ArrayList<>(r.points().size());
    double joules = 0;
    long migrations = 0;
    for (VirtualRun.Point p : r.points()) {
      double watts = (p.joules() - joules) / interval.toSeconds();
      points.add(new SimResult.Point(p.seconds(), p.hostsOn(), watts, 0, 0, (int) (p.migrations() - migrations)));
      joules = p.joules();
      migrations = p.migrations();
    }
    SimResult row = new SimResult(policy + " (controller)", preset, trace.source(), trace.size(), r.joules() / 3.6e6, r.migrations(),
        Double.NaN, Double.NaN, r.powerOffs(), Double.NaN, boundKwh, r.failedActions() + r.unplaced(), wall, Simulator.peakHeapMib(),
        points);
    return new Run(row, r.exactJoules() / 3.6e6);
  }
}
