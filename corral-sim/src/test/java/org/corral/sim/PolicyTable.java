package org.corral.sim;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.corral.sim.trace.Trace;

/**
 * bench/simulate's quality part (issue 18, "Quality"): Corral's default policy against the
 * published ones on every day of a PlanetLab directory, in one preset, as a Markdown table per
 * day and a table of medians over the days, each with its × bound column.
 * Usage: PolicyTable PLANETLAB_DIR PRESET [POLICY,...] (default: corral and the published migrating policies)
 */
public final class PolicyTable {
  private PolicyTable() {}

  static final List<Metric> COLUMNS = List.of(Metric.ENERGY, Metric.TIMES_BOUND, Metric.MIGRATIONS, Metric.SLATAH,
      Metric.PDM, Metric.ESV, Metric.POWER_OFFS);

  public static void main(String[] args) throws java.io.IOException {
    Path root = Path.of(args.length > 0 ? args[0] : "../shared/data/planetlab");
    String preset = args.length > 1 ? args[1] : "cloudsim";
    List<String> policies = args.length > 2 ? List.of(args[2].split(","))
        : List.of(Simulator.DEFAULT_POLICY, "thr-mmt-0.8", "iqr-mmt-1.5", "mad-mmt-2.5", "lr-mmt-1.2", "lrr-mmt-1.2");
    List<Path> days;
    try (var s = Files.list(root)) {
      days = s.filter(Files::isDirectory).sorted().toList();
    }
    Map<String, List<SimResult>> byPolicy = new LinkedHashMap<>();
    for (Path day : days) {
      Trace trace = Trace.read(day);
      System.out.println("### " + preset + ", " + day.getFileName());
      header();
      for (String p : policies) {
        SimResult r = Simulator.run(trace, preset, p, 1, f -> { });
        byPolicy.computeIfAbsent(p, k -> new ArrayList<>()).add(r);
        row(p, COLUMNS.stream().map(m -> m.format(r)).toList());
      }
      System.out.println();
    }
    System.out.println("### " + preset + ", median over " + days.size() + " days");
    header();
    for (Map.Entry<String, List<SimResult>> e : byPolicy.entrySet()) {
      row(e.getKey(), COLUMNS.stream().map(m -> m.format(median(e.getValue(), m))).toList());
    }
    List<SimResult> own = byPolicy.get(Simulator.DEFAULT_POLICY);
    if (own != null && byPolicy.containsKey("lr-mmt-1.2")) {
      System.out.println();
      System.out.println("Issue 18's quality targets (set for the cloudsim preset), on the medians:");
      targets(own, byPolicy);
    }
  }

  /** Issue 18's quality targets, on the medians over the days. */
  static void targets(List<SimResult> own, Map<String, List<SimResult>> byPolicy) {
    double lr = median(byPolicy.get("lr-mmt-1.2"), Metric.ENERGY);
    double bestEsv = Double.MAX_VALUE;
    double fewest = Double.MAX_VALUE;
    for (Map.Entry<String, List<SimResult>> e : byPolicy.entrySet()) {
      if (Simulator.PUBLISHED.contains(e.getKey())) {
        bestEsv = Math.min(bestEsv, median(e.getValue(), Metric.ESV));
        fewest = Math.min(fewest, median(e.getValue(), Metric.MIGRATIONS));
      }
    }
    target("energy no higher than LR-MMT-1.2's", median(own, Metric.ENERGY), lr, Metric.ENERGY);
    target("energy at most 1.25 × the bound", median(own, Metric.TIMES_BOUND), 1.25, Metric.TIMES_BOUND);
    target("ESV at most half the best published", median(own, Metric.ESV), bestEsv / 2, Metric.ESV);
    target("migrations at most half the fewest published", median(own, Metric.MIGRATIONS), fewest / 2, Metric.MIGRATIONS);
  }

  static void target(String what, double value, double limit, Metric m) {
    System.out.println(String.format(Locale.ROOT, "- %s: %s against %s (%s): %s", what, m.format(value), m.format(limit),
        m.heading(), value <= limit ? "met" : String.format(Locale.ROOT, "NOT met, %+.1f %%", 100 * (value / limit - 1))));
  }

  static double median(List<SimResult> rs, Metric m) {
    double[] v = rs.stream().mapToDouble(m::of).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  static void header() {
    System.out.println("| policy | " + String.join(" | ", COLUMNS.stream().map(Metric::heading).toList()) + " |");
    System.out.println("|---" + "|---".repeat(COLUMNS.size()) + "|");
  }

  static void row(String policy, List<String> cells) {
    System.out.println("| " + policy + " | " + String.join(" | ", cells) + " |");
  }
}
