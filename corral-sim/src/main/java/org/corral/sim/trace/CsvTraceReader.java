package org.corral.sim.trace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.corral.model.InvalidInputException;

/**
 * Users' own traces, one CSV file (docs/simulation.md; example in examples/trace.csv):
 * <pre>
 * # interval-seconds: 300          (optional; 300 when absent)
 * vm,u0,u1,u2,...                  (header: "vm" then one column per sample)
 * web-1,12,15.5,40,...             (a VM's name, then its CPU utilisation in percent, 0-100)
 * </pre>
 * Lines starting with {@code #} are comments; blank lines are skipped. VMs keep the file's order.
 * Names are unique and contain no comma.
 */
public final class CsvTraceReader {
  private static final String INTERVAL = "# interval-seconds:";

  private CsvTraceReader() {}

  public static Trace read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    int interval = 300;
    int columns = -1;
    List<String> names = new ArrayList<>();
    List<double[]> series = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      String where = file + " line " + (i + 1);
      if (line.toLowerCase(Locale.ROOT).startsWith(INTERVAL)) {
        String v = line.substring(INTERVAL.length()).strip();
        try {
          interval = Integer.parseInt(v);
        } catch (NumberFormatException e) {
          throw new InvalidInputException("trace.interval", where + ": '" + v + "' is not a whole number of seconds",
              "write e.g. '# interval-seconds: 300'");
        }
        continue;
      }
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] cells = line.split(",", -1);
      if (columns < 0) {
        if (!cells[0].strip().equalsIgnoreCase("vm") || cells.length < 3) {
          throw new InvalidInputException("trace", where + ": the header must be 'vm' then one column per sample (at least 2)",
              "start the file with e.g. 'vm,u0,u1,u2'");
        }
        columns = cells.length;
        continue;
      }
      if (cells.length != columns) {
        throw new InvalidInputException("trace", where + " has " + cells.length + " columns, the header " + columns,
            "give each VM its name and one value per sample column");
      }
      String name = cells[0].strip();
      if (name.isEmpty() || !seen.add(name)) {
        throw new InvalidInputException("trace", where + ": VM name '" + name + "' is " + (name.isEmpty() ? "empty" : "repeated"),
            "give each row a unique VM name in the first column");
      }
      double[] u = new double[columns - 1];
      for (int c = 1; c < columns; c++) {
        String cell = cells[c].strip();
        double v;
        try {
          v = Double.parseDouble(cell);
        } catch (NumberFormatException e) {
          v = Double.NaN;
        }
        if (!(v >= 0 && v <= 100)) {
          throw new InvalidInputException("trace", where + " column " + (c + 1) + ": '" + cell + "' is not a percentage 0-100",
              "write the VM's CPU utilisation in percent, e.g. 42.5");
        }
        u[c - 1] = v / 100;
      }
      names.add(name);
      series.add(u);
    }
    if (columns < 0) {
      throw new InvalidInputException("trace", file + " has no header line", "start the file with e.g. 'vm,u0,u1,u2'");
    }
    return new Trace(file.toString(), names, series, interval);
  }
}
