package org.corral.sim.trace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.corral.model.InvalidInputException;

/**
 * The PlanetLab format of the published benchmark (CoMon data, one folder per day): a file per VM,
 * each line one integer CPU utilisation in percent (0-99), 288 five-minute samples. Files are
 * taken in sorted name order (as Java's {@code Arrays.sort} on the files orders them: by UTF-16
 * code units, case-sensitive), the only order that can be reproduced everywhere; names may contain
 * spaces. Hidden files (a leading dot) are skipped.
 */
public final class PlanetLabReader {
  /** The format's sampling interval. */
  public static final int INTERVAL_SECONDS = 300;

  private PlanetLabReader() {}

  public static Trace read(Path folder) {
    if (!Files.isDirectory(folder)) {
      throw new InvalidInputException("trace", folder + " is not a folder",
          "give a PlanetLab day folder (one file per VM), e.g. /work/shared/data/planetlab/20110303");
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(folder)) {
      files = list.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder, e);
    }
    List<String> names = new ArrayList<>(files.size());
    List<double[]> series = new ArrayList<>(files.size());
    for (Path f : files) {
      names.add(f.getFileName().toString());
      series.add(readFile(f));
    }
    return new Trace(folder.toString(), names, series, INTERVAL_SECONDS);
  }

  static double[] readFile(Path f) {
    List<String> lines;
    try {
      lines = Files.readAllLines(f, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f, e);
    }
    double[] out = new double[lines.size()];
    int n = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (line.isEmpty()) {
        continue;
      }
      int v;
      try {
        v = Integer.parseInt(line);
      } catch (NumberFormatException e) {
        throw new InvalidInputException("trace", f + " line " + (i + 1) + ": '" + line + "' is not a whole number",
            "one CPU utilisation in percent (0-100) per line");
      }
      if (v < 0 || v > 100) {
        throw new InvalidInputException("trace", f + " line " + (i + 1) + ": " + v + " is outside 0-100",
            "one CPU utilisation in percent (0-100) per line");
      }
      out[n++] = v / 100.0;
    }
    return java.util.Arrays.copyOf(out, n);
  }
}
