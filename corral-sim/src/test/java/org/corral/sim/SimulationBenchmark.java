package org.corral.sim;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.corral.sim.trace.Trace;

/**
 * bench/simulate's fidelity part: the cloudsim preset against every CloudSim 3.0.3 figure of the
 * four migration policies on the five days (shared/reference/cloudsim-3.0.3.md), as a Markdown
 * table; exits 1 when any run is off tolerance (±5 % energy, ±10 % migrations, ±0.5 points SLATAH).
 * Usage: SimulationBenchmark PLANETLAB_DIR
 */
public final class SimulationBenchmark {
  private SimulationBenchmark() {}

  public static void main(String[] args) {
    Path root = Path.of(args.length > 0 ? args[0] : "../shared/data/planetlab");
    List<String> policies = List.of("thr-mmt-0.8", "iqr-mmt-1.5", "mad-mmt-2.5", "lr-mmt-1.2");
    System.out.println("| policy | day | energy kWh (3.0.3) | Δ | migrations (3.0.3) | Δ | SLATAH % (3.0.3) | Δ points | within |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    int off = 0;
    List<String> days = new ArrayList<>();
    for (CloudSimReference.Row ref : CloudSimReference.rows()) {
      if (!days.contains(ref.day())) {
        days.add(ref.day());
      }
    }
    for (String day : days) {
      Path dir = root.resolve(day);
      if (!Files.isDirectory(dir)) {
        System.err.println("no trace at " + dir);
        System.exit(2);
      }
      Trace trace = Trace.read(dir);
      for (String policy : policies) {
        CloudSimReference.Row ref = CloudSimReference.find(policy, day).orElseThrow();
        SimResult r = Simulator.run(trace, "cloudsim", policy, 1, f -> { });
        boolean within = ref.misses(r).isEmpty();
        off += within ? 0 : 1;
        System.out.println(String.format(Locale.ROOT, "| %s | %s | %.2f (%.2f) | %+.1f %% | %,d (%,d) | %+.1f %% | %.2f (%.2f) | %+.2f | %s |",
            policy.toUpperCase(Locale.ROOT), day, r.energyKwh(), ref.energyKwh(), 100 * (r.energyKwh() / ref.energyKwh() - 1),
            r.migrations(), ref.migrations(), 100.0 * ((double) r.migrations() / ref.migrations() - 1), 100 * r.slatah(),
            ref.slatahPercent(), 100 * r.slatah() - ref.slatahPercent(), within ? "yes" : "NO"));
      }
    }
    System.out.println();
    System.out.println(off == 0 ? "all 20 runs within tolerance" : off + " run(s) off tolerance");
    System.exit(off == 0 ? 0 : 1);
  }
}
