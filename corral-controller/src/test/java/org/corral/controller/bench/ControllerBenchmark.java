package org.corral.controller.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.corral.controller.Controller;
import org.corral.controller.ControllerSettings;
import org.corral.controller.command.HostRequest;
import org.corral.controller.command.VmRequest;
import org.corral.controller.store.InMemoryStore;
import org.corral.controller.store.JdbcStore;
import org.corral.controller.store.Store;
import org.corral.drivers.Drivers;
import org.corral.drivers.sim.SimDataCenter;
import org.corral.drivers.sim.SimHypervisorDriver;
import org.corral.drivers.sim.SimLatencies;
import org.corral.drivers.sim.SimPowerDriver;
import org.corral.model.host.HostCapacity;
import org.corral.model.host.PowerModel;
import org.corral.model.host.PowerSpec;
import org.corral.model.time.VirtualClock;
import org.corral.model.vm.VmState;

/**
 * The whole pipeline on virtual time: N VMs created through the user commands, placed by the
 * scheduling loop, deployed by the executor through the simulated lab's driver, every state change
 * and action written to the store, while the Monitor reads all hosts every 5 s. Reports wall time,
 * VMs/s, the controller's CPU time (it all runs on this thread: the virtual clock's loop) per VM
 * and per simulated host-hour, placements decided per VM, actions skipped as duplicates, and
 * journal entries. Run with bench/controller.
 */
public final class ControllerBenchmark {
  public static void main(String[] args) throws Exception {
    int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int vms = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    String storeKind = args.length > 2 ? args[2] : "memory";
    System.out.printf("# %d hosts, %d VMs, store %s, %d cores, %s%n", hosts, vms, storeKind,
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
    for (int round = 0; round < 2; round++) {
      run(hosts, vms, storeKind, round == 0 ? "warm-up" : "measured");
    }
  }

  private static void run(int hostCount, int vmCount, String storeKind, String label) throws Exception {
    VirtualClock clock = new VirtualClock();
    SimDataCenter dc = new SimDataCenter("bench", clock, 1, SimLatencies.DEFAULT);
    for (int i = 0; i < hostCount; i++) {
      dc.addHost(String.format("h%05d", i), new HostCapacity(32, 2600, 131072), PowerModel.linear(100, 300), true);
    }
    Path dir = null;
    Store store;
    if (storeKind.equals("h2")) {
      dir = Files.createTempDirectory("corral-bench");
      store = JdbcStore.h2File(dir);
    } else {
      store = new InMemoryStore();
    }
    ControllerSettings settings = ControllerSettings.DEFAULT.withPeriods(Duration.ofSeconds(5), Duration.ofSeconds(5));
    Controller c = new Controller(settings, clock, store,
        new Drivers().hypervisor(new SimHypervisorDriver(dc)).power(new SimPowerDriver(dc)), new SimpleMeterRegistry());
    c.start();
    for (var h : dc.hosts()) {
      c.commands().addHost(new HostRequest(h.name(), h.uri(), h.capacity(), null, new PowerSpec(h.uri(), null, null), null), "bench");
    }
    clock.advance(Duration.ofSeconds(10));
    java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpu0 = threads.getCurrentThreadCpuTime();
    long placed0 = c.scheduling().placements();
    long t0 = System.nanoTime();
    for (int i = 0; i < vmCount; i++) {
      c.commands().createVm(VmRequest.of(String.format("v%06d", i), 1 + i % 4, 1024L * (1 + i % 8)), "bench");
    }
    long created = System.nanoTime();
    long virtualSeconds = 0;
    while (c.state().vms().stream().anyMatch(v -> v.state() != VmState.RUNNING)) {
      clock.advance(Duration.ofSeconds(1));
      virtualSeconds++;
      if (virtualSeconds > 24 * 3600) {
        throw new IllegalStateException("not converged after a simulated day");
      }
    }
    long done = System.nanoTime();
    long cpuNanos = threads.getCurrentThreadCpuTime() - cpu0;
    long placements = c.scheduling().placements() - placed0;
    // Keep going for a simulated hour once converged: the steady-state cost of watching the hosts.
    long cpuSteady0 = threads.getCurrentThreadCpuTime();
    clock.advance(Duration.ofHours(1));
    long steadyNanos = threads.getCurrentThreadCpuTime() - cpuSteady0;
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    System.out.printf("%-9s create %,d VMs: %,.0f ms; placed and running after %,d s of simulated time, %,.0f ms wall "
            + "(%,.0f VMs/s end to end); controller CPU %,.1f µs per VM; %.2f placements per VM, %,d duplicate deploys "
            + "dropped (%,d actions skipped by the executor); converged hour: CPU %,.2f ms per simulated host-hour; "
            + "journal %,d entries; heap after GC %,d MiB%n",
        label, vmCount, (created - t0) / 1e6, virtualSeconds, (done - t0) / 1e6, vmCount / ((done - t0) / 1e9),
        cpuNanos / 1e3 / vmCount, (double) placements / vmCount, c.scheduling().duplicatesDropped(),
        c.executor().duplicatesSkipped(), steadyNanos / 1e6 / hostCount, store.lastSeq(), heap >> 20);
    c.stop();
    store.close();
  }
}
