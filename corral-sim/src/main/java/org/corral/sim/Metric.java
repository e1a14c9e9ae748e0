package org.corral.sim;

import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Every figure a run reports, declared once: its key (JSON), its column heading, how it is scaled
 * for display and with how many decimals, and how it is read from a {@link SimResult}. Tables,
 * JSON and reports iterate over {@link #values()}; nothing names a metric twice.
 * <ul>
 *   <li>SLAV = SLATAH × PDM; ESV = energy (kWh) × SLAV (Beloglazov and Buyya 2012);</li>
 *   <li>× bound = energy / the full-service bound ({@link Bound}).</li>
 * </ul>
 */
public enum Metric {
  ENERGY("energyKwh", "energy kWh", 1, 2, SimResult::energyKwh),
  TIMES_BOUND("timesBound", "× bound", 1, 2, r -> r.boundKwh() == 0 ? Double.NaN : r.energyKwh() / r.boundKwh()),
  MIGRATIONS("migrations", "migrations", 1, 0, r -> r.migrations()),
  SLATAH("slatah", "SLATAH %", 100, 2, SimResult::slatah),
  PDM("pdm", "PDM %", 100, 3, SimResult::pdm),
  SLAV("slav", "SLAV ×1e-5", 1e5, 2, r -> slav(r)),
  ESV("esv", "ESV ×1e-3", 1e3, 2, r -> r.energyKwh() * slav(r)),
  POWER_OFFS("powerOffs", "power-offs", 1, 0, r -> r.powerOffs()),
  MEAN_TIME_BEFORE_SHUTDOWN("meanSecondsBeforeShutdown", "s before shutdown", 1, 0, SimResult::meanSecondsBeforeShutdown),
  BOUND("boundKwh", "bound kWh", 1, 2, SimResult::boundKwh),
  WALL("wallSeconds", "wall s", 1, 2, SimResult::wallSeconds),
  PEAK_HEAP("peakHeapMib", "heap MiB", 1, 0, SimResult::peakHeapMib);

  private final String key;
  private final String heading;
  private final double scale;
  private final int decimals;
  private final ToDoubleFunction<SimResult> read;

  Metric(String key, String heading, double scale, int decimals, ToDoubleFunction<SimResult> read) {
    this.key = key;
    this.heading = heading;
    this.scale = scale;
    this.decimals = decimals;
    this.read = read;
  }

  private static double slav(SimResult r) {
    return r.slatah() * r.pdm();
  }

  /** The JSON key. */
  public String key() {
    return key;
  }

  /** The column heading, with its unit. */
  public String heading() {
    return heading;
  }

  /** The value in its own unit (fractions as fractions, not percent). */
  public double of(SimResult r) {
    return read.applyAsDouble(r);
  }

  /** The value as displayed: scaled to the heading's unit, with the metric's decimals. */
  public String format(SimResult r) {
    return format(of(r));
  }

  /** A value of this metric in its own unit (a median, say) as displayed. */
  public String format(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    return String.format(Locale.ROOT, "%,." + decimals + "f", v * scale);
  }
}
