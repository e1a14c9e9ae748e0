package org.corral.controller.energy;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.corral.model.snapshot.Samples;
import org.jspecify.annotations.Nullable;

/**
 * Recent history for the dashboard's charts: per energy tick, the data centre's power, hosts on,
 * mean CPU of the hosts on and live migrations in flight; per host, CPU, memory and power. Written
 * on the loop by {@link EnergyMeter#tick}; read by the API's threads without a hop onto the loop:
 * every series is a {@link Samples} (immutable versions sharing an append-only array), and the
 * whole set is replaced in one volatile field after each tick, never changed.
 */
public final class Trends {
  /** Samples kept per series: at a 10 s monitor period, the last two hours. */
  public static final int CAPACITY = 720;

  /**
   * The data centre's series, oldest first; {@code times} in epoch milliseconds; {@code migrations}
   * the live migrations that succeeded since the sample before (whoever asked: a user, the
   * optimizer, the Guardian's evacuations).
   */
  public record Totals(Samples times, Samples watts, Samples hostsOn, Samples cpu, Samples migrating, Samples migrations) {}

  /** One host's series, oldest first; {@code times} in epoch milliseconds, cpu and memory in 0..1. */
  public record HostSeries(Samples times, Samples cpu, Samples memory, Samples watts) {}

  /** One host's values at one tick. */
  public record HostPoint(double cpu, double memory, double watts) {}

  private record Published(Totals totals, Map<String, HostSeries> hosts) {}

  private final int capacity;
  private volatile Published published;

  public Trends() {
    this(CAPACITY);
  }

  Trends(int capacity) {
    this.capacity = capacity;
    Samples empty = Samples.empty(capacity);
    this.published = new Published(new Totals(empty, empty, empty, empty, empty, empty), Map.of());
  }

  /** On the loop: one tick's values; hosts absent from {@code hosts} lose their series. */
  void record(Instant at, double watts, int hostsOn, double cpu, int migrating, int migrations, Map<String, HostPoint> hosts) {
    Published p = published;
    double t = at.toEpochMilli();
    Totals o = p.totals();
    Totals totals = new Totals(o.times().append(t), o.watts().append(watts), o.hostsOn().append(hostsOn), o.cpu().append(cpu),
        o.migrating().append(migrating), o.migrations().append(migrations));
    Map<String, HostSeries> next = new HashMap<>(hosts.size() * 2);
    Samples empty = Samples.empty(capacity);
    hosts.forEach((name, v) -> {
      HostSeries s = p.hosts().get(name);
      if (s == null) {
        s = new HostSeries(empty, empty, empty, empty);
      }
      next.put(name, new HostSeries(s.times().append(t), s.cpu().append(v.cpu()), s.memory().append(v.memory()),
          s.watts().append(v.watts())));
    });
    published = new Published(totals, Map.copyOf(next));
  }

  /** Any thread: the data centre's series as last published. */
  public Totals totals() {
    return published.totals();
  }

  /** Any thread: one host's series as last published, or null for a host not (or no longer) recorded. */
  public @Nullable HostSeries host(String name) {
    return published.hosts().get(name);
  }

  /** The last {@code n} values of {@code s}, oldest first (all when it holds fewer). */
  public static double[] last(Samples s, int n) {
    double[] all = s.toArray();
    return n >= all.length ? all : java.util.Arrays.copyOfRange(all, all.length - n, all.length);
  }

  /** As {@link #last}, as a list (for JSON). */
  public static List<Double> lastList(Samples s, int n) {
    return java.util.Arrays.stream(last(s, n)).boxed().toList();
  }
}
