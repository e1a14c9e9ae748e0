package org.corral.cli.render;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Numbers as people read them. Locale.ROOT everywhere: a decimal point, whatever the machine. */
public final class Units {
  private static final long KIB = 1024;
  private static final double JOULES_PER_WH = 3600.0;

  private Units() {}

  /** 512 → "512 MiB", 2048 → "2.0 GiB", 3 Mi MiB → "3.0 TiB". */
  public static String mib(long mib) {
    if (Math.abs(mib) < KIB) {
      return mib + " MiB";
    }
    if (Math.abs(mib) < KIB * KIB) {
      return String.format(Locale.ROOT, "%.1f GiB", mib / (double) KIB);
    }
    return String.format(Locale.ROOT, "%.1f TiB", mib / (double) (KIB * KIB));
  }

  public static String gib(long gib) {
    return gib + " GiB";
  }

  /** A fraction 0..1 as a whole percentage: 0.123 → "12%". */
  public static String percent(double fraction) {
    return Math.round(fraction * 100) + "%";
  }

  public static String watts(double w) {
    return String.format(Locale.ROOT, "%.1f W", w);
  }

  /** Energy in Wh below 1 kWh, else kWh. */
  public static String energy(double joules) {
    double wh = joules / JOULES_PER_WH;
    if (Math.abs(wh) < 1000) {
      return String.format(Locale.ROOT, "%.1f Wh", wh);
    }
    return String.format(Locale.ROOT, "%.2f kWh", wh / 1000);
  }

  /** Up to one decimal, no trailing ".0": 4.0 → "4", 2.5 → "2.5". */
  public static String number(double x) {
    if (x == Math.rint(x) && Math.abs(x) < 1e15) {
      return Long.toString((long) x);
    }
    return String.format(Locale.ROOT, "%.1f", x);
  }

  /**
   * An ISO instant from the API as local ISO time to the second, e.g. "2026-01-01T11:00:00"
   * in Europe/Paris. Text that is not an instant is shown unchanged rather than hidden.
   */
  public static @Nullable String time(@Nullable String isoInstant, ZoneId zone) {
    if (isoInstant == null || isoInstant.isBlank()) {
      return null;
    }
    try {
      Instant at = Instant.parse(isoInstant);
      return LocalDateTime.ofInstant(at, zone).truncatedTo(ChronoUnit.SECONDS)
          .format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
    } catch (DateTimeParseException notAnInstant) {
      return isoInstant;
    }
  }

  /** "120s", "2m", "1h30m", "500ms": the same forms {@code --timeout} accepts. */
  public static String duration(Duration d) {
    if (d.toMillisPart() != 0 || d.isZero()) {
      return d.toMillis() + "ms";
    }
    StringBuilder b = new StringBuilder();
    if (d.toHours() > 0) {
      b.append(d.toHours()).append('h');
    }
    if (d.toMinutesPart() > 0) {
      b.append(d.toMinutesPart()).append('m');
    }
    if (d.toSecondsPart() > 0) {
      b.append(d.toSecondsPart()).append('s');
    }
    return b.toString();
  }
}
