package org.corral.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The figures CloudSim 3.0.3 prints for the PlanetLab days, measured with each day's files in
 * sorted name order (shared/reference/cloudsim-3.0.3.md, "Reference results"), and the fidelity
 * the cloudsim preset must reach against them: energy within ±5 %, migrations within ±10 %, SLATAH
 * within ±0.5 points.
 */
public final class CloudSimReference {
  public static final double ENERGY_TOLERANCE = 0.05;
  public static final double MIGRATION_TOLERANCE = 0.10;
  public static final double SLATAH_TOLERANCE_POINTS = 0.5;

  /** One published run: {@code slatahPercent} in percent. */
  public record Row(String policy, String day, int vms, double energyKwh, long migrations, double slatahPercent) {
    /** What is off tolerance in {@code r}, or empty when it is within all three. */
    public List<String> misses(SimResult r) {
      List<String> out = new ArrayList<>();
      double e = r.energyKwh() / energyKwh - 1;
      if (Math.abs(e) > ENERGY_TOLERANCE) {
        out.add(String.format(Locale.ROOT, "energy %.2f kWh is %+.1f %% from %.2f", r.energyKwh(), 100 * e, energyKwh));
      }
      double m = migrations == 0 ? r.migrations() : (double) r.migrations() / migrations - 1;
      if (Math.abs(m) > MIGRATION_TOLERANCE) {
        out.add(String.format(Locale.ROOT, "migrations %d are %+.1f %% from %d", r.migrations(), 100 * m, migrations));
      }
      double s = 100 * r.slatah() - slatahPercent;
      if (Math.abs(s) > SLATAH_TOLERANCE_POINTS) {
        out.add(String.format(Locale.ROOT, "SLATAH %.2f %% is %+.2f points from %.2f %%", 100 * r.slatah(), s, slatahPercent));
      }
      return out;
    }
  }

  private static final List<Row> ROWS = load();

  private CloudSimReference() {}

  public static List<Row> rows() {
    return ROWS;
  }

  /** The reference run of {@code policy} on {@code day} (e.g. "lr-mmt-1.2", "20110303"), if measured. */
  public static Optional<Row> find(String policy, String day) {
    return ROWS.stream().filter(r -> r.policy.equals(policy.toLowerCase(Locale.ROOT)) && r.day.equals(day)).findFirst();
  }

  private static List<Row> load() {
    List<Row> rows = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
        CloudSimReference.class.getResourceAsStream("cloudsim-3.0.3-reference.csv"), "reference table"), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith("#") || line.startsWith("policy,") || line.isBlank()) {
          continue;
        }
        String[] c = line.split(",");
        rows.add(new Row(c[0], c[1], Integer.parseInt(c[2]), Double.parseDouble(c[3]), Long.parseLong(c[4]),
            Double.parseDouble(c[5])));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.copyOf(rows);
  }
}
