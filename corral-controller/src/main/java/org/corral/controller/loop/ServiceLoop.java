package org.corral.controller.loop;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.corral.controller.ServiceSettings;
import org.corral.controller.connection.Stages;
import org.corral.controller.guest.ServiceChecks;
import org.corral.controller.state.ControllerState;
import org.corral.model.host.Host;
import org.corral.model.journal.EntryKind;
import org.corral.model.journal.SubjectKind;
import org.corral.model.plan.Cause;
import org.corral.model.plan.Origin;
import org.corral.model.plan.Plan;
import org.corral.model.plan.Planner;
import org.corral.model.snapshot.ServiceObservation;
import org.corral.model.snapshot.Snapshot;
import org.corral.model.time.Clock;
import org.corral.model.vm.ServiceCheck;
import org.corral.model.vm.ServiceState;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmState;
import org.corral.policy.service.ServiceEscalation;
import org.corral.policy.service.ServiceHealing;
import org.jspecify.annotations.Nullable;

/**
 * The service checks inside VMs (docs/high-availability.md, "Service checks"): every check
 * interval it runs each service's check of each RUNNING VM, off the loop through
 * {@link ServiceChecks}; each answer hops back onto the loop as a {@link ServiceObservation} (soft
 * state) and is folded into the service's {@link ServiceEscalation.History}. Then snapshot (with
 * the observations) → {@link ServiceHealing} (pure) → plan → planner, like the other deciding
 * loops; it applies what has no action (a service given up is journaled and told to
 * administrators as {@code guardian.escalation}) and publishes each service's state for the API.
 *
 * <p>No check before one full observation cycle after the controller started ({@code settle}),
 * none on a VM that is not RUNNING, and none before it has been running one check interval.
 * Each service's history (failed checks in a row, the escalation step taken, its recent restarts
 * for flapping, how many restarts in all) is kept in the store's meta data under
 * {@code service-history/<vm>/<service>}, written with the cycle that changed it: a restarted
 * controller, or a new leader, goes on where the last left off (a flapping service stays paused,
 * an escalation does not start over). A quiet history (healthy, never restarted) is not kept. What
 * stays in memory: the last observation (each service is UNCHECKED until its first check after a
 * start) and a VM restart under way (a VM stopped for one is then restarted by the Guardian's
 * crash restarts).
 */
public final class ServiceLoop extends Loop implements PlanningLoop {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ServiceLoop.class);
  private final ControllerState state;
  private final Planner planner;
  private final ServiceHealing healing;
  private final ServiceChecks checks;
  private final ServiceSettings settings;
  private final Duration settle;
  private Instant startedAt = Instant.EPOCH;
  /** By vm/service: the last check, the history, when the next check is due, restarts made. */
  private final Map<String, ServiceObservation> observations = new HashMap<>();
  private final Map<String, ServiceEscalation.History> histories = new HashMap<>();
  private final Map<String, Instant> due = new HashMap<>();
  private final Map<String, Integer> restartCounts = new HashMap<>();
  private final Map<String, ServiceEscalation.Next> verdicts = new HashMap<>();
  /** The uuid of the VM each check in flight was started for (a VM deleted and created again is another VM). */
  private final Map<String, String> inFlight = new HashMap<>();
  private Map<String, ServiceHealing.VmRestart> restarting = Map.of();
  private Set<String> journaled = Set.of();
  private volatile Map<String, List<ServiceState>> published = Map.of();
  /** By vm/service: the history as last written to the store's meta data (encoded). */
  private final Map<String, String> persisted = new HashMap<>();
  /** By vm/service: histories changed since they were last written (so a cycle writes only those). */
  private final Set<String> dirty = new HashSet<>();
  static final String HISTORY = "service-history/";

  /**
   * @param period how often it decides (at most the check interval); checks run on their own interval
   * @param settle how long after the start nothing is checked: one full observation cycle
   */
  public ServiceLoop(Clock clock, Duration period, long seed, ControllerState state, Planner planner, ServiceHealing healing,
      ServiceChecks checks, ServiceSettings settings, Duration settle, Map<String, String> meta) {
    super("services", clock, period.compareTo(settings.checkInterval()) < 0 ? period : settings.checkInterval(), seed);
    this.state = state;
    this.planner = planner;
    this.healing = healing;
    this.checks = checks;
    this.settings = settings;
    this.settle = settle;
    meta.forEach((k, v) -> {
      if (k.startsWith(HISTORY)) {
        String key = k.substring(HISTORY.length());
        Stored h = decode(v);
        if (h == null || key.indexOf('/') < 1) {
          LOG.warn("ignoring an unreadable service history {}={}", k, v);
        } else {
          histories.put(key, h.history());
          if (h.restarts() > 0) {
            restartCounts.put(key, h.restarts());
          }
          persisted.put(key, v);
        }
      }
    });
  }

  @Override
  public void start() {
    startedAt = clock.now();
    super.start();
  }

  /**
   * True while {@code vm} is stopped for a restart decided here: no other decision (the
   * Guardian's crash restarts) restarts it meanwhile. Call on the loop.
   */
  public boolean holds(String vm) {
    return restarting.containsKey(vm);
  }

  /**
   * {@code vm} runs again after a restart the Guardian made (a crash restart, a recovery after its
   * host failed): the services of the VMs that depend on it are restarted at the next decision, as
   * after a restart made here. Call on the loop.
   */
  public void restartedByGuardian(String vm, String host, String reason) {
    if (!restarting.containsKey(vm)) {
      Map<String, ServiceHealing.VmRestart> next = new LinkedHashMap<>(restarting);
      next.put(vm, new ServiceHealing.VmRestart(vm, host, false, true, reason));
      restarting = java.util.Collections.unmodifiableMap(next);
      wake();
    }
  }

  /** Each service's state, by VM (only VMs that declare services). Safe from any thread: no loop hop. */
  public List<ServiceState> published(String vm) {
    return published.getOrDefault(vm, List.of());
  }

  @Override
  protected void cycle(long cycle, long seed) {
    if (clock.now().isBefore(startedAt.plus(settle))) {
      publish();
      return; // one full observation cycle first: no check, no action on stale state
    }
    runChecks();
    ServiceHealing.Decision d = decide(state.snapshot(cycle, seed));
    planner.submit(d.plan());
    Instant now = clock.now();
    Duration keep = healing.escalation().flapWindow();
    for (ServiceHealing.Taken t : d.taken()) {
      String key = Snapshot.serviceKey(t.vm(), t.service());
      histories.put(key, history(key).took(t.step(), now, keep));
      dirty.add(key);
      if (t.step().restarts()) {
        restartCounts.merge(key, 1, Integer::sum);
      }
      if (t.step() == ServiceEscalation.Step.GIVE_UP) {
        LOG.warn("{}", t.reason());
      }
    }
    restarting = d.restarts();
    verdicts.clear();
    verdicts.putAll(d.verdicts());
    journalGiveUpsAndPauses(cycle);
    forgetGone();
    persist();
    publish();
  }

  /** A history as kept in the store, with the service's restarts in all. */
  record Stored(ServiceEscalation.History history, int restarts) {}

  /** {@code failures;step;restartable;restarts;t1,t2,...} (times in epoch milliseconds). */
  static String encode(ServiceEscalation.History h, int restarts) {
    StringBuilder b = new StringBuilder().append(h.failures()).append(';').append(h.taken().name()).append(';')
        .append(h.restartable()).append(';').append(restarts).append(';');
    for (int i = 0; i < h.restarts().size(); i++) {
      b.append(i == 0 ? "" : ",").append(h.restarts().get(i).toEpochMilli());
    }
    return b.toString();
  }

  /** The history {@link #encode} wrote, or null when {@code s} is not one. */
  static @Nullable Stored decode(String s) {
    String[] f = s.split(";", -1);
    if (f.length != 5 || !(f[2].equals("true") || f[2].equals("false"))) {
      return null;
    }
    try {
      List<Instant> times = new ArrayList<>();
      for (String t : f[4].isEmpty() ? new String[0] : f[4].split(",")) {
        times.add(Instant.ofEpochMilli(Long.parseLong(t)));
      }
      int failures = Integer.parseInt(f[0]);
      int restarts = Integer.parseInt(f[3]);
      if (failures < 0 || restarts < 0) {
        return null;
      }
      return new Stored(new ServiceEscalation.History(failures, ServiceEscalation.Step.valueOf(f[1]), Boolean.parseBoolean(f[2]), times),
          restarts);
    } catch (IllegalArgumentException e) { // NumberFormatException too
      return null;
    }
  }

  /** Writes, in one transaction, each history that changed since it was last written; drops the quiet and the gone. */
  private void persist() {
    ControllerState.Tx tx = null;
    for (String key : dirty) {
      ServiceEscalation.History h = histories.get(key);
      int restarts = restartCounts.getOrDefault(key, 0);
      String value = h == null || (h.failures() == 0 && h.taken() == ServiceEscalation.Step.NONE && h.restarts().isEmpty()
          && restarts == 0) ? null : encode(h, restarts);
      String was = persisted.get(key);
      if (java.util.Objects.equals(value, was)) {
        continue;
      }
      tx = tx == null ? state.tx() : tx;
      if (value == null) {
        tx.deleteMeta(HISTORY + key);
        persisted.remove(key);
      } else {
        tx.meta(HISTORY + key, value);
        persisted.put(key, value);
      }
    }
    dirty.clear();
    if (tx != null) {
      tx.commit();
    }
  }

  @Override
  public Plan plan(Snapshot snapshot, Planner recorder) {
    return healing.decide(snapshot.withServiceObservations(observations), recorder, this::history, restarting).plan();
  }

  private ServiceHealing.Decision decide(Snapshot snap) {
    return healing.decide(snap.withServiceObservations(observations), planner, this::history, restarting);
  }

  private ServiceEscalation.History history(String key) {
    ServiceEscalation.History h = histories.get(key);
    if (h != null) {
      return h;
    }
    int slash = key.indexOf('/');
    ServiceCheck c = state.vm(key.substring(0, slash)).flatMap(v -> v.spec().services().stream()
        .filter(s -> s.name().equals(key.substring(slash + 1))).findFirst()).orElse(null);
    return ServiceEscalation.History.healthy(c != null && c.restartable());
  }

  /** Starts the checks that are due, each off the loop; answers hop back and wake the loop when one failed. */
  private void runChecks() {
    Instant now = clock.now();
    for (Vm vm : state.vms()) {
      String on = vm.host();
      if (vm.spec().services().isEmpty() || on == null || !checkable(vm, now)) {
        continue;
      }
      Host host = state.host(on).orElse(null);
      if (host == null || !host.state().acceptsVms()) {
        continue;
      }
      String guest = ServiceChecks.guestTarget(host.uri(), vm.name());
      String address = vm.leases().isEmpty() ? null : vm.leases().get(0).ip();
      for (ServiceCheck c : vm.spec().services()) {
        String key = Snapshot.serviceKey(vm.name(), c.name());
        if (inFlight.containsKey(key) || now.isBefore(due.getOrDefault(key, Instant.MIN))) {
          continue;
        }
        inFlight.put(key, vm.uuid());
        due.put(key, now.plus(settings.checkInterval()));
        Stages.within(checks.check(vm.name(), guest, address, c, now), settings.timeout().plusSeconds(1), clock,
                "service check " + key)
            .whenComplete((o, err) -> clock.execute(() -> answered(key, vm.uuid(), c, o, err, now)));
      }
    }
  }

  /** A VM is checked while RUNNING, not acted on, and once it has run one check interval. */
  private boolean checkable(Vm vm, Instant now) {
    return vm.state() == VmState.RUNNING && vm.host() != null && !planner.isBusy(vm.name()) && !restarting.containsKey(vm.name())
        && !now.isBefore(vm.stateSince().plus(settings.checkInterval()));
  }

  private void answered(String key, String uuid, ServiceCheck c, @Nullable ServiceObservation o, @Nullable Throwable err, Instant at) {
    if (!uuid.equals(inFlight.get(key))) {
      return;
    }
    inFlight.remove(key);
    String vmName = key.substring(0, key.indexOf('/'));
    Vm vm = state.vm(vmName).orElse(null);
    if (vm == null || !vm.uuid().equals(uuid) || !checkable(vm, clock.now())) {
      return; // the VM was stopped, restarted or replaced meanwhile: this answer is about what was
    }
    ServiceObservation obs = o != null ? o
        : ServiceObservation.unreachable(vmName, c, "could not run the check: " + (err == null ? "no answer" : err.getMessage()), at);
    observations.put(key, obs);
    ServiceEscalation.History before = histories.get(key);
    ServiceEscalation.History after = history(key).checked(obs.status().failed());
    histories.put(key, after);
    if (!after.equals(before)) {
      dirty.add(key);
    }
    if (obs.status().failed()) {
      wake(); // the escalation decides at once; a healthy answer is published with the next cycle
    }
  }

  /** Journals, once each, a service given up (told to administrators) and a service whose restarts are paused. */
  private void journalGiveUpsAndPauses(long cycle) {
    Set<String> now = new HashSet<>();
    for (Map.Entry<String, ServiceEscalation.Next> e : verdicts.entrySet()) {
      ServiceEscalation.History h = history(e.getKey());
      String vm = e.getKey().substring(0, e.getKey().indexOf('/'));
      String service = e.getKey().substring(e.getKey().indexOf('/') + 1);
      String note = null;
      if (h.taken() == ServiceEscalation.Step.GIVE_UP) {
        note = "give-up: service " + service + " of " + vm + ": gave up after " + h.failures()
            + " failed checks in a row (restarted the service, the VM and recreated it elsewhere); nothing more is done until it passes a check"
            + lastReason(e.getKey());
      } else if (e.getValue().action() == ServiceEscalation.Action.PAUSED) {
        note = "flapping: service " + service + " of " + vm + ": " + e.getValue().reason();
      }
      if (note != null) {
        String id = e.getKey() + "|" + (h.taken() == ServiceEscalation.Step.GIVE_UP ? "give-up" : "paused");
        now.add(id);
        if (!journaled.contains(id)) {
          state.tx().journal(EntryKind.GUARDIAN_NOTE, SubjectKind.VM, vm, null, null, null,
              Cause.of(Origin.GUARDIAN, cycle, "service escalation"), note).commit();
        }
      }
    }
    journaled = now;
  }

  private String lastReason(String key) {
    ServiceObservation o = observations.get(key);
    return o == null ? "" : " (last check: " + o.reason() + ")";
  }

  /** Drops what is kept for services and VMs that no longer exist. */
  private void forgetGone() {
    Set<String> live = new HashSet<>();
    for (Vm vm : state.vms()) {
      for (ServiceCheck c : vm.spec().services()) {
        live.add(Snapshot.serviceKey(vm.name(), c.name()));
      }
    }
    for (String key : persisted.keySet()) {
      if (!live.contains(key)) {
        dirty.add(key); // its VM or service is gone: dropped from the store too
      }
    }
    histories.keySet().retainAll(live);
    observations.keySet().retainAll(live);
    due.keySet().retainAll(live);
    restartCounts.keySet().retainAll(live);
  }

  /** Builds each service's state for the API (read off the loop). */
  private void publish() {
    Map<String, List<ServiceState>> out = new LinkedHashMap<>();
    for (Vm vm : state.vms()) {
      if (vm.spec().services().isEmpty()) {
        continue;
      }
      List<ServiceState> states = new ArrayList<>();
      for (ServiceCheck c : vm.spec().services()) {
        states.add(stateOf(Snapshot.serviceKey(vm.name(), c.name()), c.name()));
      }
      out.put(vm.name(), List.copyOf(states));
    }
    published = java.util.Collections.unmodifiableMap(out);
  }

  private ServiceState stateOf(String key, String name) {
    ServiceObservation o = observations.get(key);
    ServiceEscalation.History h = histories.get(key);
    if (o == null || h == null) {
      return ServiceState.unchecked(name);
    }
    ServiceEscalation.Next v = verdicts.get(key);
    int restarts = restartCounts.getOrDefault(key, 0);
    if (h.taken() == ServiceEscalation.Step.GIVE_UP) {
      return new ServiceState(name, ServiceState.State.GAVE_UP, h.failures(), o.reason(), restarts, o.at(), null);
    }
    if (v != null && v.action() == ServiceEscalation.Action.PAUSED) {
      return new ServiceState(name, ServiceState.State.PAUSED, h.failures(), v.reason(), restarts, o.at(), v.until());
    }
    return new ServiceState(name, h.failures() == 0 ? ServiceState.State.HEALTHY : ServiceState.State.FAILING, h.failures(),
        o.reason(), restarts, o.at(), null);
  }
}
