package org.corral.controller.energy;

import org.jspecify.annotations.Nullable;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.corral.controller.connection.Stages;
import org.corral.drivers.DriverException;
import org.corral.drivers.Drivers;
import org.corral.drivers.power.PowerDriver;
import org.corral.drivers.power.PowerReading;
import org.corral.drivers.power.PowerTarget;
import org.corral.model.host.Host;
import org.corral.model.host.HostState;
import org.corral.model.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each host's power as its power controller measures it, where it does (IPMI with DCMI). A host's
 * controller is the driver of its {@code power.on} URI, or of {@code power.off} when it has no
 * {@code power.on}. Loop-only: no locks.
 *
 * <ul>
 *   <li>A controller is asked at most once per {@code interval}, never twice at once, and at most
 *       {@value #MAX_IN_FLIGHT} hosts are asked at once. The driver runs on its own threads; the
 *       answer hops back onto the loop; nothing waits for it.
 *   <li>A reading counts while it is fresh: taken within three intervals and since the host's
 *       last change of state (a reading taken while it was on says nothing once it is off). A
 *       reading of 0 W while the host is on is taken for a BMC that does not fill its figure in.
 *   <li>A controller that answers it reports no power is asked again after
 *       {@link #RECHECK_NOT_REPORTED} (logged at DEBUG: the report says so); one that fails,
 *       after a backoff that doubles from the interval up to {@link #MAX_BACKOFF}, with one
 *       warning when the failures start and a line when readings work again.
 * </ul>
 */
final class PowerReadings {
  private static final Logger LOG = LoggerFactory.getLogger(PowerReadings.class);
  /** How long a controller that reports no power is left alone (firmware may change, DCMI be activated). */
  static final Duration RECHECK_NOT_REPORTED = Duration.ofHours(1);
  /** The longest wait after failed readings. */
  static final Duration MAX_BACKOFF = Duration.ofMinutes(15);
  /** A reading that takes longer is dropped (ipmitool is killed after 30 s by its driver). */
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
  static final int MAX_IN_FLIGHT = 32;
  private static final int FRESH_INTERVALS = 3;

  private final Clock clock;
  private final Drivers drivers;
  private final Duration interval;
  private final Map<String, Meter> meters = new HashMap<>();
  private int inFlight;

  /** A reading in force: watts, when it was taken, and through which scheme. */
  record Reading(double watts, Instant at, String via) {}

  /** What is known of one host's power controller. */
  private static final class Meter {
    final String uri;
    boolean asking;
    Instant next;
    int failures;
    @Nullable Reading last;
    /** Why there is no reading (the controller's answer or the failure), or null. */
    @Nullable String why;

    Meter(String uri, Instant next) {
      this.uri = uri;
      this.next = next;
    }
  }

  PowerReadings(Clock clock, Drivers drivers, Duration interval) {
    this.clock = clock;
    this.drivers = drivers;
    this.interval = interval;
  }

  /** Asks every host's controller that is due; returns at once. Call on the loop. */
  void poll(Iterable<Host> hosts) {
    Instant now = clock.now();
    int seen = 0;
    for (Host h : hosts) {
      seen++;
      String uri = uriOf(h);
      if (uri == null) {
        meters.remove(h.name());
        continue;
      }
      Meter m = meters.get(h.name());
      if (m == null || !m.uri.equals(uri)) {
        m = new Meter(uri, now);
        meters.put(h.name(), m);
      }
      if (!m.asking && !now.isBefore(m.next) && inFlight < MAX_IN_FLIGHT) {
        ask(h.name(), m);
      }
    }
    if (meters.size() > seen) { // a host was removed: forget its meter
      Set<String> present = new HashSet<>();
      hosts.forEach(h -> present.add(h.name()));
      meters.keySet().retainAll(present);
    }
  }

  /** The reading in force for {@code h}, if it has a fresh one. Call on the loop. */
  Optional<Reading> fresh(Host h) {
    Meter m = meters.get(h.name());
    if (m == null || m.last == null || !m.uri.equals(uriOf(h))) {
      return Optional.empty();
    }
    Reading r = m.last;
    boolean recent = !r.at().isBefore(clock.now().minus(interval.multipliedBy(FRESH_INTERVALS)));
    boolean sinceChange = !r.at().isBefore(h.stateSince());
    boolean plausible = r.watts() > 0 || h.state() == HostState.OFF || h.state() == HostState.FENCED;
    return recent && sinceChange && plausible ? Optional.of(r) : Optional.empty();
  }

  /**
   * Why {@code h} has no fresh reading, for the report, or null when it has one or has no power
   * controller to ask. Call on the loop.
   */
  @Nullable String whyNot(Host h) {
    Meter m = meters.get(h.name());
    if (m == null || fresh(h).isPresent()) {
      return null;
    }
    if (m.why != null) {
      return m.why;
    }
    if (m.last == null) {
      return "no reading yet";
    }
    if (m.last.watts() == 0 && h.state() != HostState.OFF && h.state() != HostState.FENCED) {
      return "the power controller reads 0 W while the host is " + h.state();
    }
    return "the last reading (" + m.last.at() + ") is older than the host's state or " + FRESH_INTERVALS + " intervals";
  }

  private void ask(String host, Meter m) {
    m.asking = true;
    inFlight++;
    String scheme = java.util.Objects.requireNonNullElse(Drivers.scheme(m.uri), m.uri); // a stored power URI has a scheme
    CompletionStage<PowerReading> call;
    try {
      PowerDriver d = drivers.powerFor("power", m.uri);
      call = d.powerReading(new PowerTarget(host, m.uri, null));
    } catch (RuntimeException e) {
      call = java.util.concurrent.CompletableFuture.failedFuture(e);
    }
    Stages.within(call, CALL_TIMEOUT, clock, "power reading of " + host + " via " + scheme)
        .whenComplete((r, e) -> {
          inFlight--;
          m.asking = false;
          if (meters.get(host) != m) {
            return; // the host was removed or its power URI changed meanwhile
          }
          Instant at = clock.now();
          if (e != null) {
            failed(host, m, DriverException.of(e), at);
          } else {
            answered(host, m, r, scheme, at);
          }
        });
  }

  private void answered(String host, Meter m, PowerReading r, String scheme, Instant at) {
    switch (r) {
      case PowerReading.Measured w -> {
        if (m.failures > 0) {
          LOG.info("{}: reading its power works again ({} W via {})", host, Math.round(w.watts()), scheme);
        } else if (m.last == null) {
          LOG.debug("{}: power measured by its power controller ({}): {} W", host, scheme, Math.round(w.watts()));
        }
        m.last = new Reading(w.watts(), at, scheme);
        m.why = null;
        m.failures = 0;
        m.next = at.plus(interval);
      }
      case PowerReading.NotReported n -> {
        if (!n.reason().equals(m.why)) { // not news: the report says it (and most drivers never measure)
          LOG.debug("{}: {}; its energy is counted from its power model", host, n.reason());
        }
        m.last = null;
        m.why = n.reason();
        m.failures = 0;
        m.next = at.plus(RECHECK_NOT_REPORTED);
      }
    }
  }

  private void failed(String host, Meter m, DriverException e, Instant at) {
    m.failures++;
    Duration backoff = interval.multipliedBy(1L << Math.min(m.failures - 1, 20));
    if (backoff.compareTo(MAX_BACKOFF) > 0) {
      backoff = MAX_BACKOFF;
    }
    if (m.failures == 1) {
      LOG.warn("{}: reading its power failed ({}: {}); its power model stands in, next try in {}", host, e.kind(),
          e.getMessage(), Stages.human(backoff));
    }
    m.why = "power reading failed: " + e.getMessage();
    m.next = at.plus(backoff);
  }

  private static @Nullable String uriOf(Host h) {
    return h.power().on() != null ? h.power().on() : h.power().off();
  }
}
