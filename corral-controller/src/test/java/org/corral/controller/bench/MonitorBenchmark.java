package org.corral.controller.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.corral.controller.Controller;
import org.corral.controller.ControllerSettings;
import org.corral.controller.command.HostRequest;
import org.corral.controller.store.InMemoryStore;
import org.corral.drivers.Drivers;
import org.corral.drivers.libvirt.LibvirtDriver;
import org.corral.drivers.libvirt.ReconnectBackoff;
import org.corral.model.host.Host;
import org.corral.model.host.HostState;
import org.corral.model.time.SystemClock;

/**
 * The Monitor's cost per cycle against libvirt's own test driver (issue 22): H hosts, each a
 * {@code test:///<file>} connection to its own copy of a node XML (8 cores, 16 GiB, 2 domains), polled
 * every second on real time for a minute. Reports the controller loop thread's CPU per cycle and per
 * host poll, and the whole process's (libvirt's threads included), over hosts × seconds polls.
 * Run with bench/monitor.
 */
public final class MonitorBenchmark {
  public static void main(String[] args) throws Exception {
    int hostCount = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    Path dir = Files.createTempDirectory("corral-monitor");
    byte[] node;
    try (var in = MonitorBenchmark.class.getResourceAsStream("/libvirt/host-a.xml")) {
      node = in.readAllBytes();
    }
    System.out.printf("# monitor: %,d libvirt test-driver hosts, polled every 1 s for %d s, %d cores, java %s%n", hostCount, seconds,
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
    SystemClock clock = new SystemClock("corral-loop");
    LibvirtDriver libvirt = new LibvirtDriver(clock, ReconnectBackoff.DEFAULT, Duration.ofSeconds(10), 5, 3);
    Controller c = new Controller(ControllerSettings.DEFAULT.withPeriods(Duration.ofSeconds(1), Duration.ofSeconds(10)), clock,
        new InMemoryStore(), new Drivers().hypervisor(libvirt), new SimpleMeterRegistry());
    try {
      c.call(() -> {
        c.start();
        return null;
      });
      for (int i = 0; i < hostCount; i++) {
        Path xml = dir.resolve(String.format("h%05d.xml", i));
        Files.write(xml, node);
        String name = String.format("h%05d", i);
        c.callAsync(() -> c.commands().addHost(new HostRequest(name, "test://" + xml.toAbsolutePath(), null, null, null, null), "bench"),
            Duration.ofSeconds(60));
      }
      ScaleBenchmark.await("every host UP and read", Duration.ofMinutes(5), () -> c.call(() -> c.state().hosts().stream()
          .allMatch(h -> h.state() == HostState.UP && c.state().observation(h.name()).lastAnswer() != null)));
      long loop = ScaleBenchmark.threadId("corral-loop");
      var threads = ManagementFactory.getThreadMXBean();
      long polls0 = polls(c);
      long loop0 = threads.getThreadCpuTime(loop);
      long proc0 = ScaleBenchmark.processCpu();
      long t0 = System.nanoTime();
      // Measure over a number of polls, not a sleep: one a second per host for `seconds` seconds.
      long target = polls0 + (long) hostCount * seconds;
      ScaleBenchmark.await(seconds + " cycles of polls", Duration.ofSeconds(seconds * 3L + 60), () -> polls(c) >= target);
      long wall = System.nanoTime() - t0;
      long loopCpu = threads.getThreadCpuTime(loop) - loop0;
      long procCpu = ScaleBenchmark.processCpu() - proc0;
      long polls = polls(c) - polls0;
      double cycles = wall / 1e9; // one cycle a second
      System.out.printf("%,d polls in %.1f s (%.2f per host per second); per cycle of %,d hosts: loop CPU %.2f ms, process CPU %.2f ms;"
              + " per host poll: loop %.1f µs, process %.1f µs%n", polls, wall / 1e9, polls / (wall / 1e9) / hostCount, hostCount,
          loopCpu / 1e6 / cycles, procCpu / 1e6 / cycles, loopCpu / 1e3 / polls, procCpu / 1e3 / polls);
    } finally {
      c.call(() -> {
        c.stop();
        return null;
      });
      libvirt.close();
      clock.close();
    }
  }

  /** Polls answered so far: the sum of every host's answers. */
  private static long polls(Controller c) {
    return c.call(() -> {
      long n = 0;
      for (Host h : c.state().hosts()) {
        n += c.state().observation(h.name()).answers();
      }
      return n;
    });
  }
}
