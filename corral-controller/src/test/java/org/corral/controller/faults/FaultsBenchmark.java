package org.corral.controller.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.corral.controller.ControllerSettings;
import org.corral.controller.GuardianSettings;

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
 * Presets: {@code defaults} (Corral's defaults: full reads every 5 s, a liveness beat every 1 s,
 * SUSPECT after 3 missed beats, DOWN after 5), {@code no-beats} (liveness judged on the full reads
 * alone, as before the beat: every 5 s, SUSPECT at the first silent read, DOWN after 3),
 * {@code perugia} (the Perugia study: a 1 s loop reading everything, SUSPECT after 5, failed
 * after 10).
 */
public final class FaultsBenchmark {
  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    Quiet quiet = Quiet.logs(); // for the whole run
    System.out.printf("# bench/faults %d scenarios, %d cores, %s%n", n, Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    // Presets named after the count: only their timing runs (no mixed scenarios).
    List<String> presets = args.length > 1 ? List.of(args).subList(1, args.length) : List.of("defaults", "no-beats", "perugia");
    if (args.length <= 1) {
      mixed(n);
    }
    for (String preset : presets) {
      timing(preset, settings(preset), Math.min(n, 1000));
    }
    quiet.close();
  }

  static ControllerSettings settings(String preset) {
    ControllerSettings d = ControllerSettings.DEFAULT;
    return switch (preset) {
      case "defaults" -> d;
      case "no-beats" -> d.withGuardian(d.guardian().withBeats(d.monitorPeriod(), 1, 3));
      case "perugia" -> d.withPeriods(Duration.ofSeconds(1), d.schedulerPeriod()).withGuardian(GuardianSettings.PERUGIA);
      default -> throw new IllegalArgumentException("no preset " + preset + "; give defaults, no-beats or perugia");
    };
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
    System.out.printf("crash -> HA VMs booting elsewhere, preset %s (full reads every %s, beat %s, SUSPECT after %d, DOWN after %d "
            + "missed beats): %d crashes timed, p50 %.1f s, p99 %.1f s, max %.1f s; %d scenarios broke an invariant%n",
        preset, s.monitorPeriod(), s.beat(), s.guardian().suspectAfter(), s.guardian().downAfter(), seconds.size(), pct(seconds, 0.50), pct(seconds, 0.99),
        seconds.isEmpty() ? Double.NaN : seconds.getLast(), violations);
  }

  private static double pct(List<Double> sorted, double p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
  }
}
