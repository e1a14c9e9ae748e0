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
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(f);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f, e);
    }
    // One pass over the bytes (a day is a thousand small files): lines of plain digits are read
    // here; anything else goes through the checks below, whose messages name the line.
    double[] out = new double[Math.max(16, bytes.length / 2)];
    int n = 0;
    int line = 0;
    for (int from = 0; from < bytes.length; ) {
      int to = from;
      while (to < bytes.length && bytes[to] != '\n') {
        to++;
      }
      line++;
      int v = digits(bytes, from, to);
      if (v == NOT_DIGITS) {
        String text = new String(bytes, from, to - from, StandardCharsets.US_ASCII).trim();
        if (!text.isEmpty()) {
          v = parse(f, line, text);
        }
      }
      if (v != NOT_DIGITS) {
        if (v < 0 || v > 100) {
          throw new InvalidInputException("trace", f + " line " + line + ": " + v + " is outside 0-100",
              "one CPU utilisation in percent (0-100) per line");
        }
        if (n == out.length) {
          out = java.util.Arrays.copyOf(out, 2 * n);
        }
        out[n++] = v / 100.0;
      }
      from = to + 1;
    }
    return java.util.Arrays.copyOf(out, n);
  }

  private static final int NOT_DIGITS = Integer.MIN_VALUE;

  /** The number a line of 1 to 9 ASCII digits (a carriage return at its end allowed) spells, else {@link #NOT_DIGITS}. */
  private static int digits(byte[] b, int from, int to) {
    int end = to > from && b[to - 1] == '\r' ? to - 1 : to;
    if (end == from || end - from > 9) {
      return NOT_DIGITS;
    }
    int v = 0;
    for (int i = from; i < end; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        return NOT_DIGITS;
      }
      v = 10 * v + d;
    }
    return v;
  }

  private static int parse(Path f, int line, String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new InvalidInputException("trace", f + " line " + line + ": '" + text + "' is not a whole number",
          "one CPU utilisation in percent (0-100) per line");
    }
  }
}
