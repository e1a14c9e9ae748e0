package org.corral.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.DoubleConsumer;
import org.corral.cli.api.Json;
import org.corral.cli.render.Table;
import org.corral.sim.CloudSimReference;
import org.corral.sim.HtmlReport;
import org.corral.sim.Metric;
import org.corral.sim.SimResult;
import org.corral.sim.Simulator;
import org.corral.model.InvalidInputException;
import org.corral.sim.trace.SyntheticTrace;
import org.corral.sim.trace.Trace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code corral simulate}: Corral's consolidation policies on a workload trace, in a simulated
 * data centre on virtual time (no controller, nothing started); a table of the published metrics,
 * one row per policy, or JSON.
 */
@Command(name = "simulate", description = "Run consolidation policies on a workload trace in a simulated data centre "
    + "(virtual time) and compare energy, migrations and SLA figures.")
public final class SimulateCommand implements Callable<Integer> {
  private final Session session;

  @Option(names = "--trace", paramLabel = "PATH",
      description = "A PlanetLab day folder (one file per VM) or a CSV file (docs/simulation.md).")
  @org.jspecify.annotations.Nullable Path trace;

  @Option(names = "--synthetic", paramLabel = "VMS", description = "Instead of --trace: a synthetic day of VMS VMs drawn "
      + "from --seed (scale runs; docs/simulation.md).")
  @org.jspecify.annotations.Nullable Integer synthetic;

  @Option(names = "--hosts", defaultValue = "800", paramLabel = "N",
      description = "Hosts in the data centre, alternating HP ML110 G4 and G5. Default: 800 (CloudSim's set-up).")
  int hosts = 800;

  @Option(names = "--preset", defaultValue = "cloudsim", paramLabel = "NAME",
      description = "The data centre: cloudsim (CloudSim 3.0.3's PlanetLab set-up, quirks included) or realistic (idle hosts "
          + "draw power until switched off, 120 s to boot, 30 s to shut down, memory counts). Default: cloudsim.")
  String preset = "cloudsim";

  @Option(names = "--policy", split = ",", defaultValue = Simulator.DEFAULT_POLICY, paramLabel = "NAME[,NAME...]",
      description = "Policies, compared in one table: herd (Corral's own consolidation policy, docs/energy.md), "
          + "thr-mmt-0.8, iqr-mmt-1.5, mad-mmt-2.5, lr-mmt-1.2, lrr-mmt-1.2 (any <detector>-<selector>-<parameter>), npa, "
          + "dvfs, corral (Corral's default optimizer settings), enersis. Default: " + Simulator.DEFAULT_POLICY + ".")
  List<String> policies = new ArrayList<>();

  @Option(names = "--seed", defaultValue = "1", description = "Seed for any random choice (RS selection) and for --synthetic. Default: 1.")
  long seed = 1;

  @Option(names = "--controller", description = "Also run each policy through the whole controller (loops, executor, in-memory "
      + "store, simulated driver) on virtual time, one more row per policy: the production path on the same day.")
  boolean controller;

  @Option(names = "--json", description = "Print JSON (the same as -o json).")
  boolean json;

  @Option(names = "--no-progress", description = "No progress bar, even on a terminal.")
  boolean noProgress;

  @Option(names = "--report", paramLabel = "FILE", description = "Also write a self-contained HTML page with the table and "
      + "plots over the day (active hosts, power, utilisation, migrations), policies side by side.")
  @org.jspecify.annotations.Nullable Path report;

  public SimulateCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    if ((trace == null) == (synthetic == null)) {
      throw new InvalidInputException("trace", trace == null ? "no workload given" : "--trace and --synthetic both given",
          "give either --trace PATH (a PlanetLab folder or a CSV file) or --synthetic VMS");
    }
    Trace t = trace != null ? Trace.read(trace) : SyntheticTrace.generate(synthetic, seed);
    boolean asJson = json || session.json();
    boolean bar = !noProgress && !asJson && onTerminal();
    for (String p : policies) {
      Simulator.settings(p); // every name checked before anything runs
    }
    List<SimResult> results = new ArrayList<>();
    java.util.Map<SimResult, Double> exactKwh = new java.util.IdentityHashMap<>();
    for (String p : policies) {
      DoubleConsumer progress = bar ? f -> progress(p, f) : f -> { };
      SimResult simulated = Simulator.run(t, preset, p, seed, hosts, progress);
      results.add(simulated);
      if (controller) {
        DoubleConsumer again = bar ? f -> progress(p + " (controller)", f) : f -> { };
        ControllerDay.Run day = ControllerDay.run(t, preset, p, seed, hosts, simulated.boundKwh(), again);
        results.add(day.result());
        exactKwh.put(day.result(), day.exactKwh());
      }
      if (bar) {
        session.err().print("\r\033[K");
        session.err().flush();
      }
    }
    if (report != null) {
      try {
        Files.writeString(report, HtmlReport.render(t.source() + ", preset " + preset, results));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("cannot write the report to " + report, e);
      }
    }
    String day = trace != null && Files.isDirectory(trace) ? String.valueOf(trace.toAbsolutePath().normalize().getFileName()) : "";
    if (asJson) {
      ArrayNode runs = Json.array();
      for (SimResult r : results) {
        ObjectNode o = runs.addObject();
        o.put("policy", r.policy()).put("preset", r.preset()).put("trace", r.trace()).put("vms", r.vms()).put("hosts", hosts)
            .put("seed", seed);
        for (Metric m : Metric.values()) {
          double v = m.of(r);
          if (Double.isNaN(v)) {
            o.putNull(m.key());
          } else {
            o.put(m.key(), v);
          }
        }
        o.put("rejectedActions", r.rejectedActions());
        if (exactKwh.containsKey(r)) {
          o.put("exactEnergyKwh", exactKwh.get(r));
        }
        reference(r, day).ifPresent(ref -> {
          ObjectNode c = o.putObject("cloudsim303");
          c.put("energyKwh", ref.energyKwh()).put("migrations", ref.migrations()).put("slatahPercent", ref.slatahPercent());
          List<String> misses = ref.misses(r);
          c.put("within", misses.isEmpty());
          misses.forEach(c.putArray("misses")::add);
        });
      }
      session.printJson(runs);
      return ExitCode.OK.code();
    }
    List<String> headings = new ArrayList<>(List.of("POLICY"));
    for (Metric m : Metric.values()) {
      headings.add(m.heading());
    }
    Table table = Table.of(headings.toArray(String[]::new));
    StringBuilder notes = new StringBuilder();
    for (SimResult r : results) {
      List<Object> row = new ArrayList<>(List.of(r.policy()));
      for (Metric m : Metric.values()) {
        row.add(m.format(r));
      }
      table.row(row.toArray());
      reference(r, day).ifPresent(ref -> {
        List<String> misses = ref.misses(r);
        notes.append(String.format(Locale.ROOT, "%s on %s vs CloudSim 3.0.3 (%.2f kWh, %,d migrations, SLATAH %.2f %%): %s%n",
            r.policy(), day, ref.energyKwh(), ref.migrations(), ref.slatahPercent(),
            misses.isEmpty() ? "within ±5 % energy, ±10 % migrations, ±0.5 points SLATAH" : String.join("; ", misses)));
      });
      if (exactKwh.containsKey(r)) {
        notes.append(String.format(Locale.ROOT, "%s: the simulated hosts drew %.2f kWh (the driver's exact integral); the "
            + "controller's meter counted %.2f%n", r.policy(), exactKwh.get(r), r.energyKwh()));
      }
      if (r.rejectedActions() > 0) {
        notes.append(r.policy()).append(": the data centre refused ").append(r.rejectedActions()).append(" planned action(s)\n");
      }
    }
    session.print(String.format(Locale.ROOT, "%s: %d VMs, %d hosts, preset %s, seed %d%n", t.source(), t.size(), hosts, preset, seed)
        + table.render() + notes);
    return ExitCode.OK.code();
  }

  private Optional<CloudSimReference.Row> reference(SimResult r, String day) {
    return "cloudsim".equals(preset) ? CloudSimReference.find(r.policy(), day) : Optional.empty();
  }

  private void progress(String policy, double fraction) {
    int width = 30;
    int done = (int) Math.round(Math.max(0, Math.min(1, fraction)) * width);
    session.err().print(String.format(Locale.ROOT, "\r%-14s [%s%s] %3.0f %%", policy, "#".repeat(done), " ".repeat(width - done),
        100 * fraction));
    session.err().flush();
  }

  /** True when standard error is a terminal (Linux: /proc/self/fd/2 is a tty). */
  private static boolean onTerminal() {
    if (System.console() == null) {
      return false;
    }
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (java.io.IOException | UnsupportedOperationException e) {
      return false; // not Linux, or no /proc: no bar rather than escape codes in a file
    }
  }
}
