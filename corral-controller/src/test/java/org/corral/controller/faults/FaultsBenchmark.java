package org.corral.controller.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.corral.controller.ControllerSettings;

/**
 * bench/faults: the fault-injection suite at scale, and the time from a host crash to all its HA
 * VMs booting elsewhere (fencing included), on virtual time.
 *
 * <ul>
 *   <li>mixed: N seeded scenarios of mixed faults ({@link FaultScenario}); prints how many kept
 *       every invariant, the violations by kind (a VM on two hosts counts as a double run) and
 *       the failing seeds;
 *   <li>crash timing, per liveness preset: N scenarios of one host crash at a random moment;
 *       prints p50, p99 and max of crash → last HA VM of that host BOOTING elsewhere.
 * </ul>
 * Presets: {@code defaults} (Corral's defaults: Monitor every 5 s, DOWN after 3 silent polls),
 * {@code fast} (the beats: every 1 s, DOWN after 5), {@code perugia} (the Perugia study:
 * a 1 s loop, failed after 10 unanswered polls).
 */
public final class FaultsBenchmark {
  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    Quiet quiet = Quiet.logs(); // for the whole run
    System.out.printf("# bench/faults %d scenarios, %d cores, %s%n", n, Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    mixed(n);
    for (String preset : List.of("defaults", "fast", "perugia")) {
      timing(preset, settings(preset), Math.min(n, 1000));
    }
    quiet.close();
  }

  static ControllerSettings settings(String preset) {
    ControllerSettings d = ControllerSettings.DEFAULT;
    return switch (preset) {
      case "defaults" -> d;
      case "fast" -> withBeats(d, Duration.ofSeconds(1), 5);
      case "perugia" -> withBeats(d, Duration.ofSeconds(1), 10);
      default -> throw new IllegalArgumentException("no preset " + preset + "; give defaults, fast or perugia");
    };
  }

  private static ControllerSettings withBeats(ControllerSettings d, Duration period, int downAfter) {
    return new ControllerSettings(d.seed(), period, period, d.connectTimeout(), downAfter, d.utilisationWindow(), d.scheduler(),
        d.executor(), d.optimizer(), d.journal());
  }

  private static void mixed(int n) {
    long t0 = System.nanoTime();
    int ok = 0;
    int doubleRuns = 0;
    List<Long> failing = new ArrayList<>();
    List<String> firstFailures = new ArrayList<>();
    for (long seed = 1; seed <= n; seed++) {
      FaultScenario.Result r = new FaultScenario(seed, ControllerSettings.DEFAULT.withPeriods(Duration.ofSeconds(1),
          Duration.ofSeconds(1))).run();
      if (r.ok()) {
        ok++;
      } else {
        failing.add(seed);
        if (r.violation().contains(" runs on ")) {
          doubleRuns++;
        }
        if (firstFailures.size() < 5) {
          firstFailures.add("seed " + seed + ": " + r.violation());
        }
      }
    }
    System.out.printf("mixed faults: %d scenarios in %.1f s wall: %d kept every invariant, %d broke one (%d double runs)%n",
        n, (System.nanoTime() - t0) / 1e9, ok, n - ok, doubleRuns);
    firstFailures.forEach(f -> System.out.println("  " + f));
    if (!failing.isEmpty()) {
      System.out.println("  failing seeds: " + failing);
    }
  }

  private static void timing(String preset, ControllerSettings s, int n) {
    List<Double> seconds = new ArrayList<>();
    int violations = 0;
    for (long seed = 1; seed <= n; seed++) {
      FaultScenario.Result r = new FaultScenario(seed, s, true).run();
      if (!r.ok()) {
        violations++;
      }
      for (FaultScenario.Crash c : r.crashes()) {
        if (c.booted().isEmpty() || c.booted().containsValue(null)) {
          continue;
        }
        Instant last = c.booted().values().stream().max(Instant::compareTo).orElseThrow();
        seconds.add(Duration.between(c.at(), last).toMillis() / 1000.0);
      }
    }
    seconds.sort(Double::compare);
    System.out.printf("crash -> HA VMs booting elsewhere, preset %s (monitor every %ss, DOWN after %d silent polls): "
            + "%d crashes timed, p50 %.1f s, p99 %.1f s, max %.1f s; %d scenarios broke an invariant%n",
        preset, s.monitorPeriod().toSeconds(), s.downAfterPolls(), seconds.size(), pct(seconds, 0.50), pct(seconds, 0.99),
        seconds.isEmpty() ? Double.NaN : seconds.getLast(), violations);
  }

  private static double pct(List<Double> sorted, double p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
  }
}
