package org.corral.controller.energy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.corral.controller.state.ControllerState;
import org.corral.controller.store.Json;
import org.corral.drivers.Drivers;
import org.corral.model.host.Host;
import org.corral.model.host.HostState;
import org.corral.model.host.PowerModel;
import org.corral.model.snapshot.HostObservation;
import org.corral.model.time.Clock;

/**
 * Integrates every host's power over time, on the controller's loop. A host's power is what its
 * power controller measures where it reports it (IPMI: DCMI power reading, read off the loop at
 * most once per interval by {@link PowerReadings}); otherwise its model's power at the CPU the
 * Monitor measured over each poll interval, counted over that interval (see {@link #tick}), or its
 * standby draw when it is OFF or FENCED. Hosts without a model are
 * counted at a typical 1U server's 100-250 W. The baseline is what the same hosts would have
 * drawn had every one of them stayed on (an OFF host at its model's idle power): the saving is the
 * difference. The report says, per host, which source its figure has and why.
 */
public final class EnergyMeter {
  /** The meta key the counters are kept under. */
  static final String META_KEY = "energy";
  private static final Duration PERSIST_EVERY = Duration.ofMinutes(1);
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = Json.mapper();

  private final ControllerState state;
  private final Clock clock;
  private final PowerReadings readings;
  private final Map<String, double[]> joules = new TreeMap<>(); // host → {actual, baseline}
  /** Per host, the instant up to which its energy is counted. */
  private final Map<String, Instant> accounted = new HashMap<>();
  /** Intervals without a new sample after which a running host is counted at its last CPU up to now. */
  static final int STALE_POLLS = 2;
  private final Duration interval;
  private Instant since;
  private Instant last;
  private Instant lastPersisted;
  private final io.micrometer.core.instrument.@org.jspecify.annotations.Nullable MeterRegistry meters;
  /** What scrapes read, from their own threads: replaced (never changed) after each tick. */
  private volatile Map<String, Double> published = Map.of();
  private volatile double publishedSaved;
  private final Trends trends = new Trends();
  /** Where "today" begins: local midnight in this zone. */
  private final java.time.ZoneId zone;
  /** Today: its local date and {actual J, baseline J} since its midnight (or since counting began, if later). */
  private java.time.LocalDate day;
  private Instant dayFrom;
  private final double[] today = new double[2];
  /** Every host's draw together at the last tick, in watts. */
  private double wattsNow;
  /** The last report and today's figures, built after each tick: what API threads read (no hop onto the loop). */
  private volatile Report publishedReport;
  private volatile Today publishedToday;
  /** The executor's count of live migrations that succeeded (corral_actions_total), as of the last sample. */
  private double migrationsCounted;

  /**
   * @param drivers  whose power drivers are asked for measured power
   * @param interval how often {@link #tick} runs: each power controller is asked at most this often
   * @param meters   where to publish corral_host_energy_joules_total and the totals, or null
   */
  public EnergyMeter(ControllerState state, Clock clock, Map<String, String> meta, Drivers drivers, Duration interval,
      io.micrometer.core.instrument.@org.jspecify.annotations.Nullable MeterRegistry meters) {
    this(state, clock, meta, drivers, interval, meters, java.time.ZoneId.systemDefault());
  }

  /**
   * @param zone where today's midnight is (the controller's zone: the JVM's default, TZ)
   */
  public EnergyMeter(ControllerState state, Clock clock, Map<String, String> meta, Drivers drivers, Duration interval,
      io.micrometer.core.instrument.@org.jspecify.annotations.Nullable MeterRegistry meters, java.time.ZoneId zone) {
    this.state = state;
    this.zone = zone;
    this.clock = clock;
    this.readings = new PowerReadings(clock, drivers, interval);
    this.interval = interval;
    this.meters = meters;
    if (meters != null) {
      io.micrometer.core.instrument.FunctionCounter.builder("corral_energy_joules_total", this,
          m -> m.published.values().stream().mapToDouble(Double::doubleValue).sum())
          .description("energy drawn by all hosts since counting began").baseUnit("joules").register(meters);
      io.micrometer.core.instrument.FunctionCounter.builder("corral_energy_saved_joules_total", this, m -> m.publishedSaved)
          .description("energy saved against every host staying on").baseUnit("joules").register(meters);
    }
    this.since = clock.now();
    last = clock.now();
    lastPersisted = last;
    day = last.atZone(zone).toLocalDate();
    dayFrom = last; // today counts from now unless today's counters were kept
    String saved = meta.get(META_KEY);
    if (saved != null) {
      Stored s = read(saved);
      since = s.since();
      s.hosts().forEach((h, v) -> joules.put(h, new double[] {v.get(0), v.get(1)}));
      List<Double> kept = s.today();
      Instant keptFrom = s.todayFrom();
      if (day.equals(s.day()) && kept != null && kept.size() == 2 && keptFrom != null) {
        today[0] = kept.get(0);
        today[1] = kept.get(1);
        dayFrom = keptFrom;
      }
    }
    for (Host h : state.hosts()) {
      wattsNow += watts(h);
    }
    publishedToday = today(last);
    publishedReport = build();
  }

  private Instant midnight(java.time.LocalDate d) {
    return d.atStartOfDay(zone).toInstant();
  }

  private static Stored read(String json) {
    try {
      return JSON.readValue(json, Stored.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("stored energy counters are not readable: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * What is kept in the store: when counting began, per host {actual J, baseline J}, and today's
   * local date with its {actual J, baseline J} since {@code todayFrom} (absent in counters kept
   * before there was a today).
   */
  record Stored(Instant since, Map<String, List<Double>> hosts, java.time.@org.jspecify.annotations.Nullable LocalDate day,
      @org.jspecify.annotations.Nullable Instant todayFrom, @org.jspecify.annotations.Nullable List<Double> today) {}

  /**
   * Adds the energy of every host since the last call; then asks the power controllers that are
   * due for a reading (answers arrive later, on the loop). Persists once a minute. Call on the
   * loop.
   *
   * <p>A running host counted by its model is counted poll by poll: each Monitor sample is its
   * CPU time over the span since the previous poll, so that span is counted at the power for that
   * CPU once the sample is in, and the time since the last poll waits for the next sample (a host
   * whose samples stop coming is counted at its last CPU up to now after {@link #STALE_POLLS}
   * intervals). Measured hosts, and hosts off or switching, are counted up to now at their power now.
   */
  public void tick() {
    Instant now = clock.now();
    Instant previous = last;
    last = now;
    if (now.isAfter(previous)) {
      java.time.LocalDate nowDay = now.atZone(zone).toLocalDate();
      if (!nowDay.equals(day)) {
        // A new day: only what is counted after its midnight counts for it.
        day = nowDay;
        dayFrom = midnight(nowDay);
        today[0] = 0;
        today[1] = 0;
      }
      wattsNow = 0;
      for (Host h : state.hosts()) {
        double[] j = joules.computeIfAbsent(h.name(), k -> new double[2]);
        Instant from = accounted.computeIfAbsent(h.name(), k -> previous); // a new host: from the last tick
        Instant to = now;
        double w;
        HostObservation o = state.observation(h.name());
        if (h.state() == HostState.UP && readings.fresh(h).isEmpty() && !o.cpu().isEmpty()
            && now.isBefore(o.metrics().observedAt().plus(interval.multipliedBy(STALE_POLLS)))) {
          to = o.metrics().observedAt(); // the newest sample's span ends at its poll
          w = model(h).wattsAt(utilisation(h));
        } else {
          w = watts(h);
        }
        wattsNow += w;
        if (to.isAfter(from)) {
          double seconds = Duration.between(from, to).toNanos() / 1e9;
          // The part of this span after today's midnight (a span may lag a poll behind the tick).
          Instant todayStart = from.isBefore(dayFrom) ? dayFrom : from;
          double todaySeconds = to.isAfter(todayStart) ? Duration.between(todayStart, to).toNanos() / 1e9 : 0;
          double b = baselineWatts(h, w);
          j[0] += w * seconds;
          j[1] += b * seconds;
          today[0] += w * todaySeconds;
          today[1] += b * todaySeconds;
          accounted.put(h.name(), to);
        }
      }
      publish();
      publishedToday = today(now);
      publishedReport = build();
      recordTrends(now);
      if (!now.isBefore(lastPersisted.plus(PERSIST_EVERY))) {
        persist();
      }
    }
    readings.poll(state.hosts());
  }

  private void publish() {
    Map<String, Double> copy = new HashMap<>();
    double saved = 0;
    for (Map.Entry<String, double[]> e : joules.entrySet()) {
      copy.put(e.getKey(), e.getValue()[0]);
      saved += e.getValue()[1] - e.getValue()[0];
      if (meters != null && !published.containsKey(e.getKey())) {
        String host = e.getKey();
        io.micrometer.core.instrument.FunctionCounter.builder("corral_host_energy_joules_total", this,
            m -> m.published.getOrDefault(host, 0.0)).tag("host", host)
            .description("energy drawn by one host since counting began").baseUnit("joules").register(meters);
      }
    }
    publishedSaved = saved;
    published = Map.copyOf(copy);
  }

  /** One sample of every series of {@link #trends}: O(hosts), once per tick. */
  private void recordTrends(Instant now) {
    Map<String, Trends.HostPoint> points = new HashMap<>();
    double total = 0;
    double cpu = 0;
    int on = 0;
    for (Host h : state.hosts()) {
      double w = watts(h);
      var m = state.metrics(h.name());
      long mem = h.capacity().memoryMib();
      boolean isOn = h.state() != HostState.OFF && h.state() != HostState.FENCED;
      double u = isOn ? utilisation(h) : 0;
      points.put(h.name(), new Trends.HostPoint(u, isOn && mem > 0 ? Math.min(1, (double) m.memoryUsedMib() / mem) : 0, w));
      total += w;
      if (isOn) {
        on++;
        cpu += u;
      }
    }
    int migrating = state.published().vmsByState().getOrDefault(org.corral.model.vm.VmState.MIGRATING, 0);
    trends.record(now, total, on, on == 0 ? 0 : cpu / on, migrating, migrationsSinceLastSample(), points);
  }

  /** Live migrations that succeeded since the last sample, from the executor's own counter (0 without meters). */
  private int migrationsSinceLastSample() {
    if (meters == null) {
      return 0;
    }
    io.micrometer.core.instrument.Counter c = meters.find("corral_actions_total").tag("verb", "migrate").tag("outcome", "succeeded")
        .counter();
    double total = c == null ? 0 : c.count();
    int since = (int) Math.round(total - migrationsCounted);
    migrationsCounted = total;
    return since;
  }

  /** Recent history of power, hosts on and utilisation (the dashboard's charts); readable from any thread. */
  public Trends trends() {
    return trends;
  }

  /** Writes the counters to the store now (also done once a minute by {@link #tick}). */
  public void persist() {
    Map<String, List<Double>> hosts = new TreeMap<>();
    joules.forEach((h, j) -> hosts.put(h, List.of(j[0], j[1])));
    try {
      state.tx().meta(META_KEY, JSON.writeValueAsString(new Stored(since, hosts, day, dayFrom, List.of(today[0], today[1])))).commit();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    lastPersisted = clock.now();
  }

  /** The power {@code h} draws now, in watts: measured where it is, else from its model. */
  public double watts(Host h) {
    var measured = readings.fresh(h);
    return measured.isPresent() ? measured.get().watts() : modelWatts(h);
  }

  private double modelWatts(Host h) {
    PowerModel m = model(h);
    return switch (h.state()) {
      case OFF, FENCED -> m.offWatts();
      default -> m.wattsAt(utilisation(h));
    };
  }

  /** The host's CPU over the last poll interval (its newest sample: power follows the load of the moment, not a window's mean). */
  private double utilisation(Host h) {
    return Math.max(0, Math.min(1, state.observation(h.name()).cpu().last()));
  }

  /** Where a host's figure comes from. */
  public enum Source {
    /** Its power controller measured it (IPMI: DCMI power reading). */
    MEASURED,
    /** Its power model (or the typical one), at its measured CPU utilisation. */
    MODEL;

    /** As the API and the CLI write it: {@code measured}, {@code model}. */
    @com.fasterxml.jackson.annotation.JsonValue
    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The power {@code h} draws now, where the figure comes from, and why (for people). */
  record Draw(double watts, Source source, String detail) {}

  private Draw draw(Host h) {
    var measured = readings.fresh(h);
    if (measured.isPresent()) {
      PowerReadings.Reading r = measured.get();
      return new Draw(r.watts(), Source.MEASURED, "measured by its power controller (" + r.via() + ") at " + r.at());
    }
    String model = h.powerModel() != null ? "power model" : "typical 100-250 W (no model given)";
    String detail = switch (h.state()) {
      case OFF, FENCED -> model + ": standby draw, host " + h.state();
      default -> String.format(java.util.Locale.ROOT, "%s at %.0f %% CPU", model, 100 * utilisation(h));
    };
    String why = readings.whyNot(h);
    return new Draw(modelWatts(h), Source.MODEL, why == null ? detail : detail + "; not measured: " + why);
  }

  /** Everything-on: an OFF or FENCED host at its idle power, any other at the power it is counted at. */
  private double baselineWatts(Host h, double counted) {
    return h.state() == HostState.OFF || h.state() == HostState.FENCED ? model(h).idleWatts() : counted;
  }

  private static PowerModel model(Host h) {
    return h.powerModelOrTypical();
  }

  /**
   * One host's line of the report.
   *
   * @param source where {@code watts} comes from, now ({@code measured} or {@code model})
   * @param detail the same in words, with why a host with a power controller is not measured
   */
  public record HostEnergy(String name, String state, double watts, double joules, double baselineJoules, Source source,
      String detail) {}

  /** The energy of the hosts carrying one label, e.g. {@code rack=r2}. */
  public record GroupEnergy(String label, int hosts, double joules, double baselineJoules) {}

  /**
   * The report: since when, totals, every host (removed hosts keep their counted energy) and every
   * group of hosts that share a label ({@code key=value}, hosts present now).
   */
  public record Report(Instant since, Instant at, double joules, double baselineJoules, double savedJoules,
      List<HostEnergy> hosts, List<GroupEnergy> groups) {}

  /** Ticks, then reports. Call on the loop. */
  public Report report() {
    tick();
    return publishedReport;
  }

  /** The report as of the last tick: readable from any thread, never waits for the loop. */
  public Report published() {
    return publishedReport;
  }

  /** Today's energy as of the last tick: readable from any thread, never waits for the loop. */
  public Today today() {
    return publishedToday;
  }

  /**
   * Today's energy in the controller's zone: what the hosts drew since local midnight (or since
   * counting began, when that is later), and what they would have drawn had every registered host
   * stayed on (an OFF host at its model's idle power, the others at their measured or modelled
   * power: the everything-on counterfactual).
   *
   * @param from  local midnight, or when counting began if later (after a restart that lost the day's counters)
   * @param at    when the figures were taken (the last tick)
   * @param watts every host's draw together at {@code at}
   */
  public record Today(java.time.LocalDate day, String zone, Instant from, Instant at, double joules, double baselineJoules,
      double watts) {
    public double savedJoules() {
      return baselineJoules - joules;
    }
  }

  private Today today(Instant at) {
    return new Today(day, zone.getId(), dayFrom, at, today[0], today[1], wattsNow);
  }

  private Report build() {
    List<HostEnergy> lines = new ArrayList<>();
    double total = 0;
    double base = 0;
    Map<String, Host> present = new HashMap<>();
    state.hosts().forEach(h -> present.put(h.name(), h));
    for (Map.Entry<String, double[]> e : joules.entrySet()) {
      Host h = present.get(e.getKey());
      double[] j = e.getValue();
      total += j[0];
      base += j[1];
      if (h == null) {
        lines.add(new HostEnergy(e.getKey(), "REMOVED", 0, j[0], j[1], Source.MODEL, "host removed; its counted energy stays"));
      } else {
        Draw d = draw(h);
        lines.add(new HostEnergy(e.getKey(), h.state().name(), d.watts(), j[0], j[1], d.source(), d.detail()));
      }
    }
    Map<String, double[]> byLabel = new TreeMap<>(); // label → {hosts, joules, baseline}
    for (Host h : present.values()) {
      double[] j = joules.get(h.name());
      if (j == null) {
        continue;
      }
      for (Map.Entry<String, String> l : h.labels().entrySet()) {
        double[] g = byLabel.computeIfAbsent(l.getKey() + "=" + l.getValue(), k -> new double[3]);
        g[0]++;
        g[1] += j[0];
        g[2] += j[1];
      }
    }
    List<GroupEnergy> groups = new ArrayList<>();
    byLabel.forEach((label, g) -> groups.add(new GroupEnergy(label, (int) g[0], g[1], g[2])));
    return new Report(since, last, total, base, base - total, lines, groups);
  }

  /** Joules counted for {@code host} so far (0 if unknown). */
  public double joules(String host) {
    double[] j = joules.get(host);
    return j == null ? 0 : j[0];
  }
}
