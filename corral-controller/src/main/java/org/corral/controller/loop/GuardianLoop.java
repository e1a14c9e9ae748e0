package org.corral.controller.loop;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.corral.controller.connection.Stages;
import org.corral.controller.state.ControllerState;
import org.jspecify.annotations.Nullable;
import org.corral.drivers.Drivers;
import org.corral.drivers.hypervisor.LeaseStatus;
import org.corral.drivers.power.PowerStatus;
import org.corral.drivers.power.PowerTarget;
import org.corral.model.InvalidInputException;
import org.corral.model.host.Host;
import org.corral.model.journal.EntryKind;
import org.corral.model.journal.SubjectKind;
import org.corral.model.plan.ActionStatus;
import org.corral.model.plan.Cause;
import org.corral.model.plan.Origin;
import org.corral.model.plan.Plan;
import org.corral.model.plan.Planner;
import org.corral.model.snapshot.Snapshot;
import org.corral.model.time.Clock;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmState;
import org.corral.policy.recovery.BmcAnswer;
import org.corral.policy.recovery.Fencing;
import org.corral.policy.recovery.HostFailure;
import org.corral.policy.recovery.Recovery;
import org.corral.policy.recovery.SoftFence;

/**
 * High availability: snapshot → {@link Recovery} (pure: fence, wait, or restart elsewhere) → plan
 * → planner. It observes what the snapshot lacks, each failed host's power status (asked of its
 * power controller, off the loop) and its storage leases (asked of the shared storage through its
 * hypervisor driver), and keeps administrators' confirmations
 * ({@code corral host confirm-off}, journaled with who, kept in the store's meta data so that a
 * restart remembers them); it applies what the policy gives up (VMs that cannot or must not
 * restart go FAILED with the reason) and journals what it waits for once, when it first appears.
 *
 * <p>No decision is taken before one full observation cycle after the controller starts: the
 * first cycle waits {@code settle} (a Monitor period), and a DOWN host is acted on only once it has
 * been observed since the start.
 */
public final class GuardianLoop extends Loop implements PlanningLoop {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GuardianLoop.class);
  /** Prefix of the meta data key holding an administrator's confirmation that a host is off. */
  public static final String CONFIRMED_OFF = "confirmed-off/";
  /** Meta key prefix of each VM's recent crash restarts (so that a controller restart does not reset the count). */
  static final String CRASH_RESTARTS = "crash-restarts/";
  /** How long a crash restart is remembered: longer than any restart window. */
  private static final Duration REMEMBER_RESTARTS = Duration.ofHours(1);
  private final ControllerState state;
  private final Planner planner;
  private final Recovery recovery;
  private final Drivers drivers;
  private final Duration settle;
  private final Duration powerTimeout;
  private Instant startedAt = Instant.EPOCH;
  private final Map<String, BmcAnswer> power = new HashMap<>();
  private final Set<String> askingPower = new HashSet<>();
  /** What the shared storage last said of each DOWN host's leases. */
  private final Map<String, LeaseStatus> leases = new HashMap<>();
  private final Set<String> askingLeases = new HashSet<>();
  /** Host → its version when an administrator confirmed it off: the confirmation lasts while the host is unchanged. */
  private final Map<String, Long> confirmed = new HashMap<>();
  private Set<String> lastNotes = Set.of();
  /** VMs another decision is restarting (the service checks' VM restarts): not restarted here meanwhile. */
  private java.util.function.Predicate<String> held = vm -> false;
  /**
   * Host → when its DOWN spell began ({@code stateSince}), for each host whose hypervisor was
   * restarted in that spell (soft fencing is tried once per failure). Soft state: after a restart
   * the same key is planned again and the executor, which never runs a key twice, skips it.
   */
  private final Map<String, Instant> softTried = new HashMap<>();
  /** What the guest-agent heartbeats observed ({@link GuestHeartbeats}), added to each snapshot decided on. */
  private final java.util.function.Supplier<Map<String, org.corral.model.snapshot.AgentObservation>> agents;

  /**
   * @param meta   the store's meta data as loaded (confirmations made before a restart)
   * @param settle how long after the start no decision is taken: one full observation cycle
   */
  public GuardianLoop(Clock clock, Duration period, long seed, ControllerState state, Planner planner, Recovery recovery,
      Drivers drivers, Map<String, String> meta, Duration settle, Duration powerTimeout,
      java.util.function.Supplier<Map<String, org.corral.model.snapshot.AgentObservation>> agents) {
    super("guardian", clock, period, seed);
    this.agents = agents;
    this.state = state;
    this.planner = planner;
    this.recovery = recovery;
    this.drivers = drivers;
    this.settle = settle;
    this.powerTimeout = powerTimeout;
    meta.forEach((k, v) -> {
      if (k.startsWith(CRASH_RESTARTS)) {
        List<Restart> times = decodeRestarts(v);
        if (times == null) {
          LOG.warn("ignoring unreadable crash restarts {}={}", k, v);
        } else {
          restarts.put(k.substring(CRASH_RESTARTS.length()), times);
        }
      }
      if (k.startsWith(CONFIRMED_OFF)) {
        try {
          confirmed.put(k.substring(CONFIRMED_OFF.length()), Long.parseLong(v));
        } catch (NumberFormatException e) {
          LOG.warn("ignoring unreadable confirmation {}={}", k, v);
        }
      }
    });
  }

  /**
   * VMs for which {@code held} is true are left to whoever holds them, as if an action on them
   * were under way: the service checks stop a VM to restart it, and it must not look to the
   * Guardian like a VM that stopped on its own.
   */
  public void holdWhile(java.util.function.Predicate<String> held) {
    this.held = held;
  }

  /** The planner as the policy sees it: busy also for the VMs held elsewhere. */
  private Planner guarded(Planner p) {
    return new Planner() {
      @Override
      public List<String> submit(Plan plan) {
        return p.submit(plan);
      }

      @Override
      public boolean isBusy(String subject) {
        return p.isBusy(subject) || held.test(subject);
      }
    };
  }

  @Override
  public void start() {
    startedAt = clock.now();
    super.start();
  }

  /**
   * Records an administrator's word that {@code host}, which stopped answering, is off: its VMs
   * may restart elsewhere although fencing cannot confirm it. Journaled with who. Call on the loop.
   *
   * @throws InvalidInputException when the host is not DOWN (naming its state)
   */
  public Host confirmOff(String host, String who) {
    Host h = state.requireHost(host);
    String why = Fencing.confirmable(h.state());
    if (why != null) {
      throw new InvalidInputException("host", host + " cannot be confirmed off: " + why,
          "run `corral host confirm-off " + host + "` only for a host that is DOWN and that you know is powered off");
    }
    confirmed.put(host, h.version());
    state.tx().meta(CONFIRMED_OFF + host, Long.toString(h.version()))
        .journal(EntryKind.UPDATED, SubjectKind.HOST, host, null, null, null, Cause.user(who, "confirm host " + host + " is off"),
            who + " confirmed that host " + host + " is off: its VMs may restart elsewhere").commit();
    LOG.warn("{} confirmed that host {} is off", who, host);
    wake();
    return h;
  }

  @Override
  protected void cycle(long cycle, long seed) {
    if (clock.now().isBefore(startedAt.plus(settle))) {
      return; // one full observation cycle first: no action on stale state
    }
    askPower();
    Snapshot snap = state.snapshot(cycle, seed).withAgents(agents.get());
    Recovery.Decision d = recovery.decide(snap, guarded(planner), this::failure, startedAt, this::restartsOf, this::refusedOf);
    for (Recovery.GiveUp l : d.lost()) {
      Vm vm = state.vm(l.vm()).orElse(null);
      if (vm != null && !planner.isBusy(vm.name()) && VmState.MACHINE.allows(vm.state(), VmState.UNKNOWN)) {
        state.transitionVm(vm.name(), VmState.UNKNOWN, vm.host(), null, l.reason(), null,
            Cause.of(Origin.GUARDIAN, cycle, "host failed"));
      }
    }
    Cause cause = Cause.of(Origin.GUARDIAN, cycle, "cannot restart");
    for (Recovery.GiveUp g : d.givenUp()) {
      Vm vm = state.vm(g.vm()).orElse(null);
      if (vm != null && (vm.state() == VmState.UNKNOWN || vm.state() == VmState.STOPPED) && !planner.isBusy(vm.name())) {
        state.transitionVm(vm.name(), VmState.FAILED, vm.host(), null, g.reason(), null, cause);
        LOG.warn("vm {} FAILED: {}", vm.name(), g.reason());
      }
    }
    planner.submit(d.plan());
    rememberRestarts(d.plan());
    rememberSoftFencing(d.plan());
    journalNewNotes(d.plan(), cycle);
  }

  @Override
  public Plan plan(Snapshot snapshot, Planner recorder) {
    return recovery.decide(snapshot.withAgents(agents.get()), guarded(recorder), this::failure, startedAt, this::restartsOf,
        this::refusedOf).plan();
  }

  /** A restart of a VM that stopped on its own: when, and its action's key (to learn whether the host refused it). */
  record Restart(Instant at, String key) {}

  /**
   * When each VM that stopped on its own was restarted in the last hour, kept in the store's meta
   * data too ({@link #CRASH_RESTARTS}): after a controller restart a VM that keeps crashing is not
   * given a fresh allowance.
   */
  private final Map<String, List<Restart>> restarts = new HashMap<>();

  /** {@code epochMillis key;epochMillis key;...} */
  static String encodeRestarts(List<Restart> times) {
    StringBuilder b = new StringBuilder();
    for (Restart r : times) {
      b.append(b.isEmpty() ? "" : ";").append(r.at().toEpochMilli()).append(' ').append(r.key());
    }
    return b.toString();
  }

  static @Nullable List<Restart> decodeRestarts(String s) {
    List<Restart> out = new ArrayList<>();
    for (String one : s.split(";")) {
      int space = one.indexOf(' ');
      if (space < 1 || space == one.length() - 1) {
        return null;
      }
      try {
        out.add(new Restart(Instant.ofEpochMilli(Long.parseLong(one.substring(0, space))), one.substring(space + 1)));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return out;
  }

  private List<Instant> restartsOf(String vm) {
    return restarts.getOrDefault(vm, List.of()).stream().map(Restart::at).toList();
  }

  /** The restarts of {@code vm} that never started it: their action failed or was rejected. */
  private List<Instant> refusedOf(String vm) {
    return restarts.getOrDefault(vm, List.of()).stream().filter(r -> state.action(r.key())
        .map(rec -> rec.status() == ActionStatus.FAILED || rec.status() == ActionStatus.REJECTED).orElse(false))
        .map(Restart::at).toList();
  }

  private void rememberRestarts(Plan plan) {
    Instant now = clock.now();
    Set<String> changed = new HashSet<>();
    for (var a : plan.actions()) {
      if (a.key().startsWith(Recovery.RESTART) || a.key().startsWith(Recovery.RESTART_ELSEWHERE)) {
        List<Restart> times = new ArrayList<>(restarts.getOrDefault(a.subject(), List.of()));
        times.add(new Restart(now, a.key()));
        restarts.put(a.subject(), times);
        changed.add(a.subject());
      }
    }
    // Forget what is older than an hour, and the VMs that are gone.
    Instant oldest = now.minus(REMEMBER_RESTARTS);
    for (Map.Entry<String, List<Restart>> e : restarts.entrySet()) {
      List<Restart> kept = state.vm(e.getKey()).isEmpty() ? List.of()
          : e.getValue().stream().filter(t -> !t.at().isBefore(oldest)).toList();
      if (kept.size() < e.getValue().size()) {
        e.setValue(kept);
        changed.add(e.getKey());
      }
    }
    if (changed.isEmpty()) {
      return;
    }
    ControllerState.Tx tx = state.tx();
    for (String vm : changed) {
      List<Restart> times = restarts.getOrDefault(vm, List.of());
      if (times.isEmpty()) {
        restarts.remove(vm);
        tx.deleteMeta(CRASH_RESTARTS + vm);
      } else {
        tx.meta(CRASH_RESTARTS + vm, encodeRestarts(times));
      }
    }
    tx.commit();
  }

  private void rememberSoftFencing(Plan plan) {
    for (var a : plan.actions()) {
      if (a instanceof org.corral.model.plan.Action.SoftFenceHost f) {
        state.host(f.host()).ifPresent(h -> softTried.put(h.name(), h.stateSince()));
      }
    }
  }

  private HostFailure failure(String host) {
    Host h = state.host(host).orElse(null);
    Long v = confirmed.get(host);
    boolean confirmedOff = h != null && v != null && v == h.version();
    Instant tried = softTried.get(host);
    SoftFence soft = h == null || tried == null || !tried.equals(h.stateSince()) ? SoftFence.AVAILABLE
        : planner.isBusy(host) ? SoftFence.RUNNING : SoftFence.TRIED;
    // Only the storage's word that they ran out counts: UNKNOWN (no lock manager to ask) is taken as held.
    boolean leaseExpired = leases.get(host) == LeaseStatus.EXPIRED;
    return new HostFailure(power.getOrDefault(host, BmcAnswer.NOT_ASKED), leaseExpired, confirmedOff, soft);
  }

  /**
   * Asks what the snapshot lacks of each host whose answer matters (DOWN): its power controller's
   * status, and its storage leases as the shared storage reports them (through its hypervisor
   * driver, not the host). One question of each kind per host at a time, off the loop; a new
   * answer wakes the Guardian.
   */
  private void askPower() {
    Set<String> relevant = new HashSet<>();
    for (Host h : state.hosts()) {
      if (!Fencing.asksPower(h.state())) {
        continue;
      }
      relevant.add(h.name());
      if (planner.isBusy(h.name())) {
        continue;
      }
      String uri = h.power().offOrOn();
      if (uri != null) {
        PowerTarget target = new PowerTarget(h.name(), uri, h.power().mac());
        ask(h.name(), power, askingPower, () -> drivers.powerFor("power", uri).status(target), "power status of ",
            st -> st == PowerStatus.OFF ? BmcAnswer.OFF : st == PowerStatus.ON ? BmcAnswer.ON : BmcAnswer.UNREACHABLE,
            BmcAnswer.UNREACHABLE);
      }
      ask(h.name(), leases, askingLeases, () -> drivers.hypervisorFor("uri", h.uri()).leases(h.uri()), "storage leases of ",
          l -> l, LeaseStatus.UNKNOWN);
    }
    power.keySet().retainAll(relevant);
    leases.keySet().retainAll(relevant);
    softTried.keySet().retainAll(relevant);
    confirmed.keySet().removeIf(host -> state.host(host).map(h -> !Long.valueOf(h.version()).equals(confirmed.get(host))).orElse(true));
  }

  /** Asks one question of one host unless one is in flight; keeps the answer ({@code failed} when it fails), waking the loop when it changed. */
  private <S, A> void ask(String host, Map<String, A> answers, Set<String> inFlight,
      java.util.function.Supplier<java.util.concurrent.CompletionStage<S>> question, String what,
      java.util.function.Function<S, A> answer, A failed) {
    if (!inFlight.add(host)) {
      return;
    }
    java.util.concurrent.CompletionStage<S> stage;
    try {
      stage = question.get();
    } catch (RuntimeException e) { // no driver for its URI: nothing can be learnt this way
      stage = java.util.concurrent.CompletableFuture.failedFuture(e);
    }
    Stages.within(stage, powerTimeout, clock, what + host).whenComplete((v, err) -> clock.execute(() -> {
      inFlight.remove(host);
      A a = err != null || v == null ? failed : answer.apply(v);
      if (!a.equals(answers.put(host, a))) {
        wake(); // a new answer may change the decision: no need to wait a period
      }
    }));
  }

  private void journalNewNotes(Plan plan, long cycle) {
    Set<String> now = new HashSet<>(plan.notes());
    for (String note : plan.notes()) {
      if (!lastNotes.contains(note)) {
        state.tx().journal(EntryKind.GUARDIAN_NOTE, SubjectKind.CONTROLLER, "guardian", null, null, null,
            Cause.of(Origin.GUARDIAN, cycle, "waiting"), note).commit();
      }
    }
    lastNotes = now;
  }
}
