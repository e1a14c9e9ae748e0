package org.corral.controller.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.corral.controller.ControllerSettings;
import org.corral.controller.config.ClusterSpecReader;
import org.corral.controller.loop.ClusterReconciler;
import org.corral.controller.testing.LabHarness;
import org.corral.drivers.guest.ExecResult;
import org.corral.drivers.guest.GuestExec;
import org.corral.drivers.probe.Probe;
import org.corral.drivers.probe.ProbeResult;
import org.corral.drivers.sim.SimGuestExec;
import org.corral.drivers.sim.SimLatencies;
import org.corral.model.cluster.ClusterDesire;
import org.corral.model.cluster.ClusterPhase;
import org.corral.model.cluster.ClusterSpec;
import org.corral.model.host.HostState;
import org.corral.model.image.Image;

/**
 * bench/clusters (issue 20, "Benchmark"): virtual clusters on the simulated lab, on virtual time,
 * through the real controller (ClusterReconciler → Executor → sim drivers).
 *
 * <ol>
 *   <li>Corral's own overhead for the 4-VM web site (examples/web.yaml): deploy (apply → RUNNING)
 *       and undeploy (delete → no cluster, no member VM left) with every modelled latency at zero
 *       (boots, shutdowns and hooks take no time), so what remains is Corral's: virtual time spent
 *       waiting on its own loop periods and retry intervals, and wall time spent computing. The
 *       same run with modelled latencies shows total − overhead = the modelled critical path.
 *   <li>The Zaragoza study's comparison: VMs already up (boot 0), hooks taking {@link #STUDY_HOOKS},
 *       a guest shutdown of {@link SimLatencies#DEFAULT}'s 10 s: start vs 76.41 s, stop vs 15.38 s.
 *   <li>A TORQUE compute role (examples/torque.yaml with max 100) scaled 1 → 100 and 100 → 1
 *       (draining) through {@link ClusterReconciler#scale}, the call behind the API and
 *       {@code corral cluster scale}, on 101 hosts (the role spreads one member per host).
 * </ol>
 * Hooks run through the sim guest transport; a wrapper completes each after its modelled run
 * time on the lab's virtual clock. Readiness probes (tcp/http) answer at once. Controller
 * settings are Corral's defaults (monitor 5 s, scheduler and cluster loop 10 s) or, with
 * argument {@code fast}, 1 s periods (LabHarness.fastSettings).
 */
public final class ClusterBenchmark {
  /** Virtual time step while waiting for a condition: the resolution of the virtual figures. */
  private static final Duration STEP = Duration.ofMillis(100);

  /**
   * Modelled run time of each hook (the program, argv[0]; "systemctl" by its verb and unit).
   * The study publishes totals only (76.41 s start, 15.38 s stop), not per service: these are
   * typical times for the services on a small Debian VM, stated here so they can be changed.
   */
  static final Map<String, Duration> STUDY_HOOKS = Map.of(
      "systemctl start postgresql", Duration.ofSeconds(5),
      "systemctl stop postgresql", Duration.ofSeconds(3),
      "systemctl stop nginx", Duration.ofSeconds(1),
      "/usr/local/bin/web-configure", Duration.ofSeconds(10),
      "/usr/local/bin/lb-upstreams", Duration.ofSeconds(1),
      "qmgr", Duration.ofSeconds(1),
      "pbsnodes", Duration.ofSeconds(1),
      "/usr/local/bin/torque-mom", Duration.ofSeconds(3),
      "/usr/local/bin/torque-wait-idle", Duration.ofSeconds(1),
      "systemctl start pbs_server", Duration.ofSeconds(3));

  static final SimLatencies ZERO = new SimLatencies(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO,
      Double.POSITIVE_INFINITY, Duration.ZERO, Duration.ZERO);

  public static void main(String[] args) throws IOException {
    String preset = args.length > 0 ? args[0] : "defaults";
    ControllerSettings settings = switch (preset) {
      case "defaults" -> ControllerSettings.DEFAULT;
      case "fast" -> LabHarness.fastSettings();
      default -> throw new IllegalArgumentException("no preset '" + preset + "'; give defaults or fast");
    };
    System.out.printf("# bench/clusters, controller settings %s (monitor %s, loops %s), %d cores, java %s%n", preset,
        settings.monitorPeriod(), settings.schedulerPeriod(), Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    String web = Files.readString(Path.of("examples/web.yaml"));

    // 1. Overhead: nothing modelled takes time. The first run in the JVM is cold (class loading, JIT).
    for (int run = 1; run <= 3; run++) {
      webSite("overhead (all modelled times 0), run " + run, settings, ZERO, Map.of(), web);
    }
    // Same with the sim's default boots/shutdowns and the hooks' times, to show how the total splits.
    webSite("modelled (boot 20 s, shutdown 10 s, hooks)", settings, SimLatencies.DEFAULT, STUDY_HOOKS, web);
    // 2. The study: VMs already up, hooks as the services, guest shutdown 10 s.
    SimLatencies up = new SimLatencies(Duration.ZERO, Duration.ZERO, SimLatencies.DEFAULT.shutdown(), Duration.ZERO,
        Double.POSITIVE_INFINITY, Duration.ZERO, Duration.ZERO);
    webSite("study (VMs up, hooks, shutdown 10 s) vs 76.41 s / 15.38 s", settings, up, STUDY_HOOKS, web);
    // 3. TORQUE compute 1 → 100 → 1.
    torque(settings);
  }

  /** Deploys then deletes the web site; returns the two times (deploy, undeploy). */
  static List<Timed> webSite(String title, ControllerSettings settings, SimLatencies latencies, Map<String, Duration> hooks,
      String yaml) {
    Bench b = new Bench(5, settings, latencies, hooks);
    ClusterSpec spec = ClusterSpecReader.parse(yaml, "examples/web.yaml");
    Timed deploy = b.time(() -> b.clusters().apply(spec, "alice", "alice"),
        () -> phase(b, "web") == ClusterPhase.RUNNING, Duration.ofMinutes(30));
    long hookTimeDeploy = b.hookNanos.getAndSet(0);
    long hooksDeploy = b.hooks.getAndSet(0);
    Timed undeploy = b.time(() -> b.clusters().desire("web", ClusterDesire.DELETED, "alice"),
        () -> b.clusters().clusters().isEmpty() && b.lab.controller.state().vms().isEmpty(), Duration.ofMinutes(30));
    if (Boolean.getBoolean("bench.history")) {
      System.out.println(b.lab.journalText());
    }
    System.out.printf("web %s:%n  deploy   %s  (%d hooks, %.1f s of hook run time in all)%n  undeploy %s  (%d hooks, %.1f s)%n",
        title, deploy, hooksDeploy, hookTimeDeploy / 1e9, undeploy, b.hooks.get(), b.hookNanos.get() / 1e9);
    return List.of(deploy, undeploy);
  }

  private static void torque(ControllerSettings settings) throws IOException {
    String yaml = Files.readString(Path.of("examples/torque.yaml"));
    String role = "    count: 3\n    min: 1\n    max: 10\n";
    if (!yaml.contains(role)) {
      throw new IllegalStateException("examples/torque.yaml no longer has the compute role's 'count: 3, min: 1, max: 10'");
    }
    ClusterSpec spec = ClusterSpecReader.parse(yaml.replace(role, "    count: 1\n    min: 1\n    max: 100\n"), "torque-100");
    for (var lat : List.of(ZERO, SimLatencies.DEFAULT)) {
      Bench b = new Bench(101, settings, lat, STUDY_HOOKS);
      String what = lat == ZERO ? "boots and shutdowns 0, hooks modelled" : "boot 20 s, shutdown 10 s, hooks modelled";
      Timed deploy = b.time(() -> b.clusters().apply(spec, "alice", "alice"),
          () -> phase(b, "torque") == ClusterPhase.RUNNING, Duration.ofMinutes(30));
      Timed out = b.time(() -> b.clusters().scale("torque", "compute", 100, "alice"),
          () -> phase(b, "torque") == ClusterPhase.RUNNING && b.clusters().members("torque").size() == 101, Duration.ofHours(2));
      Timed in = b.time(() -> b.clusters().scale("torque", "compute", 1, "alice"),
          () -> phase(b, "torque") == ClusterPhase.RUNNING && b.clusters().members("torque").size() == 2, Duration.ofHours(2));
      System.out.printf("torque compute role (%s):%n  deploy 1+1 %s%n  scale out 1 → 100 %s%n  scale in 100 → 1 (drain) %s%n", what,
          deploy, out, in);
    }
  }

  private static ClusterPhase phase(Bench b, String name) {
    return b.clusters().require(name).condition().phase();
  }

  record Timed(Duration virtual, long wallNanos) {
    @Override
    public String toString() {
      return String.format("virtual %6.1f s, wall %6.3f s", virtual.toMillis() / 1000.0, wallNanos / 1e9);
    }
  }

  /** A controller over a simulated lab whose guests take {@code hooks}' times to run commands. */
  static final class Bench {
    final LabHarness lab;
    final AtomicLong hooks = new AtomicLong();
    final AtomicLong hookNanos = new AtomicLong();

    Bench(int hosts, ControllerSettings settings, SimLatencies latencies, Map<String, Duration> hookTimes) {
      lab = new LabHarness(hosts, latencies, settings);
      lab.moreDrivers = d -> {
        SimGuestExec sim = new SimGuestExec(lab.dc);
        d.guest(new GuestExec() {
          @Override
          public Set<String> schemes() {
            return sim.schemes();
          }

          @Override
          public CompletionStage<ExecResult> exec(String targetUri, List<String> argv, Duration timeout) {
            Duration took = runTime(hookTimes, argv);
            hooks.incrementAndGet();
            hookNanos.addAndGet(took.toNanos());
            return sim.exec(targetUri, argv, timeout).thenCompose(r -> {
              CompletableFuture<ExecResult> done = new CompletableFuture<>();
              lab.clock.schedule(took, () -> done.complete(r));
              return done;
            });
          }
        });
        d.probe(new Probe() {
          @Override
          public Set<String> schemes() {
            return Set.of("tcp", "http");
          }

          @Override
          public CompletionStage<ProbeResult> check(String targetUri, Duration timeout) {
            return CompletableFuture.completedFuture(new ProbeResult(true, "open", Duration.ZERO));
          }
        });
      };
      lab.startWithInventory();
      lab.cmd().createImage(new Image("debian-12", "default", "debian-12.qcow2", "qcow2", 10, true), "bench");
      lab.until("every host UP", () -> lab.controller.state().hosts().stream().allMatch(h -> h.state() == HostState.UP),
          Duration.ofMinutes(5));
    }

    ClusterReconciler clusters() {
      return lab.controller.clusters();
    }

    Timed time(Runnable request, BooleanSupplier done, Duration max) {
      long w0 = System.nanoTime();
      Instant v0 = lab.clock.now();
      request.run();
      if (!lab.clock.advanceUntil(done, STEP, max)) {
        throw new AssertionError("not reached within " + max + "\n" + lab.journalText());
      }
      return new Timed(Duration.between(v0, lab.clock.now()), System.nanoTime() - w0);
    }
  }

  static Duration runTime(Map<String, Duration> hookTimes, List<String> argv) {
    String key = argv.get(0).equals("systemctl") && argv.size() > 2 ? String.join(" ", argv.subList(0, 3)) : argv.get(0);
    return hookTimes.getOrDefault(key, Duration.ZERO);
  }
}
