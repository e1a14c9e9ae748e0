package org.corral.controller.loop;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.corral.controller.connection.HostConnections;
import org.corral.controller.connection.Stages;
import org.corral.controller.executor.Executor;
import org.corral.controller.state.ControllerState;
import org.corral.drivers.DriverException;
import org.corral.drivers.hypervisor.DomainEvent;
import org.corral.drivers.hypervisor.DomainState;
import org.corral.drivers.hypervisor.DomainStatus;
import org.corral.drivers.hypervisor.HostStats;
import org.corral.drivers.hypervisor.HypervisorConnection;
import org.corral.model.Names;
import org.corral.model.host.Host;
import org.corral.model.host.HostState;
import org.corral.model.journal.EntryKind;
import org.corral.model.journal.SubjectKind;
import org.corral.model.plan.Cause;
import org.corral.model.plan.Origin;
import org.corral.model.snapshot.HostMetrics;
import org.corral.model.snapshot.HostObservation;
import org.corral.model.snapshot.StorageLeases;
import org.corral.model.snapshot.Samples;
import org.corral.model.snapshot.VmObservation;
import org.corral.policy.health.HostLiveness;
import org.corral.model.time.Clock;
import org.corral.model.vm.DesiredState;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmSpec;
import org.corral.model.vm.VmState;
import org.jspecify.annotations.Nullable;

/**
 * Reads every host's hypervisor each Monitor period (and at once when a lifecycle event arrives)
 * and keeps Corral's picture true to it; between those full reads, it checks each beat that every
 * UP host still answers (a cheap read):
 * <ul>
 *   <li>liveness: each beat with no answer since the previous beat is a missed beat; the
 *       observation counts them ({@link HostObservation#silentPolls()}), an answer resets them, so a
 *       host that hangs (a read that never returns) is missed as surely as one that refuses;</li>
 *   <li>observations: each poll's outcome (answer time, silent polls, the error) and the
 *       utilisation histories of the host and of each running VM go into the state as
 *       {@link HostObservation}s and {@link VmObservation}s, which snapshots carry;</li>
 *   <li>host health: judged from the observation by a pure policy ({@link HostLiveness}: UP,
 *       SUSPECT, DOWN, ERROR with the reason); the Monitor applies the verdict and journals it
 *       (a DOWN host's VMs become UNKNOWN);</li>
 *   <li>VM states: a VM whose domain stopped, vanished or started outside Corral is corrected
 *       (never while an action on it is running — the executor owns it then);</li>
 *   <li>adoption: a domain Corral does not know (by UUID or name) is imported as a VM, never
 *       recreated;</li>
 *   <li>utilisation: the sum of domain CPU-time deltas over the interval divided by the host's
 *       cores (a VM's: over its vCPUs), kept as a history; the host's mean over a window of samples
 *       is what the scheduler reads.</li>
 * </ul>
 */
public final class Monitor extends Loop {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Monitor.class);
  private final ControllerState state;
  private final HostConnections connections;
  private final Executor executor;
  private final HostLiveness liveness;
  private final int window;
  /**
   * Observations of VMs that left the host they were seen on (a migration), until they are seen
   * again elsewhere: their history follows them. Few at a time.
   */
  private final Map<String, VmObservation> departed = new HashMap<>();
  /** The previous reading's cumulative counters: what the next reading's deltas are taken from. */
  private final Map<String, HostStats> lastStats = new HashMap<>();
  private final Set<String> inFlight = new HashSet<>();
  private final Set<String> again = new HashSet<>();
  // Hosts in ERROR are retried less and less often (wrong credentials retried every few seconds
  // can lock an account); a host that answers is back on the normal period at once.
  private static final Duration MAX_ERROR_BACKOFF = Duration.ofMinutes(5);
  /** How often hosts are read in full (domains, counters): the Monitor period. */
  private final Duration period;
  /** How often liveness is checked: the loop's own period. */
  private final Duration beat;
  private final Duration pollBudget;
  /** When each host's last full read started. */
  private final Map<String, java.time.Instant> lastFull = new HashMap<>();
  /** When the current beat started (the loop's last cycle). */
  private java.time.@Nullable Instant previousBeat;
  /** When each host's last read was started. */
  private final Map<String, java.time.Instant> readAt = new HashMap<>();
  /** The start of the beat each host's last miss was counted in: one per beat at most. */
  private final Map<String, java.time.Instant> lastMiss = new HashMap<>();
  private final java.util.ArrayDeque<Due> waiting = new java.util.ArrayDeque<>();
  private final Set<String> waitingSet = new HashSet<>();
  private int peakPolls;
  private final Map<String, Integer> errorStreak = new HashMap<>();
  private final Map<String, java.time.Instant> nextTry = new HashMap<>();

  /**
   * @param period   how often each host is read in full
   * @param beat     how often liveness is checked (at most {@code period})
   * @param liveness the judgement of missed beats
   */
  public Monitor(Clock clock, Duration period, Duration beat, long seed, ControllerState state, HostConnections connections,
      Executor executor, HostLiveness liveness, int window) {
    super("monitor", clock, beat, seed);
    this.period = period;
    this.beat = beat;
    // Connecting has its own timeout; reading a host gets as long as connecting may take.
    this.pollBudget = connections.connectTimeout().multipliedBy(2);
    this.state = state;
    this.connections = connections;
    this.executor = executor;
    this.liveness = liveness;
    this.window = window;
    connections.onEvent(this::onEvent);
  }

  /** Lifecycle events carry only an identity: re-read that host now (found by URI in O(1)). */
  private void onEvent(DomainEvent e) {
    clock.execute(() -> state.hostByUri(e.hostUri()).ifPresent(h -> {
      if (e.kind() == DomainEvent.Kind.CONNECTION_LOST) {
        connections.drop(h.name());
      }
      poll(h.name(), 0);
    }));
  }

  /** A read: the full one (domains and counters), or a beat (does the hypervisor answer). */
  private void read(String hostName, long cycle, boolean full) {
    if (full) {
      poll(hostName, cycle);
    } else if (!inFlight.contains(hostName) && !waitingSet.contains(hostName)) {
      startRead(hostName, cycle, false);
    }
  }

  @Override
  protected void cycle(long cycle, long seed) {
    if (cycle % 100 == 0) {
      departed.keySet().removeIf(vm -> state.vm(vm).isEmpty()); // deleted meanwhile
    }
    java.time.Instant now = clock.now();
    java.time.Instant previous = previousBeat;
    // The beat that ends now: hosts that did not answer in it, and whose miss was not counted when a
    // read failed, missed it.
    if (previous != null) {
      for (Host h : state.hosts()) {
        if (h.state().polledByMonitor()) {
          countMissedBeat(h, previous, cycle);
        }
      }
    }
    previousBeat = now;
    // Reads that fall due within half a beat are due now: the beat is the loop's tick.
    java.time.Instant fullBefore = now.minus(period).plus(beat.dividedBy(2));
    for (Host h : state.hosts()) {
      if (h.state().polledByMonitor() && (h.state() != HostState.ERROR || !now.isBefore(nextTry.getOrDefault(h.name(), now)))) {
        java.time.Instant last = lastFull.get(h.name());
        read(h.name(), cycle, h.state() != HostState.UP || last == null || last.isBefore(fullBefore));
      }
    }
  }

  /**
   * A beat is missed when its read fails, or when the next beat comes with no answer since this
   * one's read was sent (a read that hangs); at most once per beat. Hosts in ERROR, and hosts not
   * yet heard from or tried, are not counted (one never heard from is judged by its read's
   * failure: an ERROR for an administrator, not a failure to act on).
   */
  private void countMissedBeat(Host h, java.time.Instant previous, long cycle) {
    HostObservation o = state.observation(h.name());
    java.time.Instant answer = o.lastAnswer();
    java.time.Instant asked = readAt.get(h.name());
    // Only a host that was asked in this beat can have missed it: not one that was off or powering
    // on then, nor one whose read still waited for a slot (the Monitor's own queue is no silence).
    boolean wasAsked = inFlight.contains(h.name()) || (asked != null && !asked.isBefore(previous));
    if (!wasAsked || (answer != null && !answer.isBefore(previous)) || !missable(h, o)) {
      return;
    }
    HostObservation missed = missBeat(h.name(), h.uri(), o);
    state.putObservation(h.name(), missed);
    apply(h, missed, Cause.of(Origin.MONITOR, cycle, "hypervisor missed a beat"));
  }

  /** True when a beat of {@code h} may be counted missed now: not counted yet in this beat, and a host that is judged on beats. */
  private boolean missable(Host h, HostObservation o) {
    java.time.Instant missed = lastMiss.get(h.name());
    java.time.Instant beatStarted = previousBeat;
    return h.state() != HostState.ERROR && (o.lastAnswer() != null || o.lastError() != null)
        && (missed == null || beatStarted == null || missed.isBefore(beatStarted));
  }

  private HostObservation missBeat(String host, String uri, HostObservation o) {
    java.time.Instant beatStarted = previousBeat != null ? previousBeat : clock.now();
    java.time.Instant before = lastMiss.put(host, beatStarted); // the beat the miss is counted in
    String why = o.lastError() != null ? o.lastError() : "hypervisor at " + uri + ": a beat did not finish within " + beat;
    // Misses count in a row: after a gap (the host answered, or was off and not asked), from one again.
    boolean inARow = before != null && !before.isBefore(beatStarted.minus(beat.multipliedBy(3).dividedBy(2)));
    return inARow || o.silentPolls() == 0 ? o.silent(clock.now(), why, o.configError()) : o.firstSilent(clock.now(), why, o.configError());
  }

  /** Reads one host; a poll already in flight for it is followed by one more, not doubled. */
  public void poll(String hostName, long cycle) {
    if (inFlight.contains(hostName)) {
      again.add(hostName);
      return;
    }
    startRead(hostName, cycle, true);
  }

  private void startRead(String hostName, long cycle, boolean full) {
    if (inFlight.size() >= MAX_CONCURRENT_POLLS) {
      if (waitingSet.add(hostName)) {
        waiting.add(new Due(hostName, cycle, full));
      }
      return;
    }
    Host host = state.host(hostName).orElse(null);
    if (host == null) {
      return;
    }
    inFlight.add(hostName);
    peakPolls = Math.max(peakPolls, inFlight.size());
    java.time.Instant started = clock.now();
    readAt.put(hostName, started);
    if (full) {
      lastFull.put(hostName, started);
    }
    // A budget per read: a hypervisor that hangs fails its read, and is not a host read never again
    // (its beats are missed meanwhile all the same).
    // A beat's answer is empty: it carries nothing but the fact that the hypervisor answered.
    CompletionStage<java.util.Optional<Observation>> reading = connections.get(host)
        .thenCompose(conn -> full ? read(host, conn).thenApply(java.util.Optional::of) : conn.beat().thenApply(v -> java.util.Optional.empty()));
    Stages.within(reading, pollBudget, clock, "reading " + hostName)
        .whenComplete((obs, err) -> clock.execute(() -> {
          inFlight.remove(hostName);
          try {
            if (err != null) {
              onFailure(hostName, DriverException.of(err), cycle);
            } else if (obs.isEmpty()) {
              onBeat(hostName, cycle);
            } else {
              onSuccess(hostName, obs.get(), started, cycle);
            }
          } finally {
            if (again.remove(hostName)) {
              poll(hostName, cycle);
            }
            startWaiting();
          }
        }));
  }

  /** Starts polls that waited for a slot, oldest first. */
  private void startWaiting() {
    while (inFlight.size() < MAX_CONCURRENT_POLLS && !waiting.isEmpty()) {
      Due d = waiting.poll();
      waitingSet.remove(d.host());
      read(d.host(), d.cycle(), d.full());
    }
  }

  private record Due(String host, long cycle, boolean full) {}

  /** Polls in flight at most: 10,000 hosts are read a slice at a time, not all at once. */
  static final int MAX_CONCURRENT_POLLS = 64;

  /** The most polls that were in flight at once since start (for tests and benchmarks). */
  public int peakPolls() {
    return peakPolls;
  }

  /** @param leases what the shared storage says of the host's storage leases, read with each full poll */
  private record Observation(List<DomainStatus> domains, HostStats stats, StorageLeases leases) {}

  private CompletionStage<Observation> read(Host host, HypervisorConnection conn) {
    return conn.domains().thenCombine(conn.stats(), (d, s) -> new Observation(d, s, StorageLeases.UNKNOWN))
        .thenCombine(connections.leases(host), (o, l) -> new Observation(o.domains(), o.stats(), l));
  }

  private void onFailure(String hostName, DriverException e, long cycle) {
    Host h = state.host(hostName).orElse(null);
    if (h == null || !h.state().polledByMonitor()) {
      return;
    }
    connections.drop(hostName);
    HostObservation o = state.observation(hostName).failed(clock.now(), "hypervisor at " + h.uri() + ": " + e.getMessage(),
        !e.kind().retryable());
    if (missable(h, o)) {
      o = missBeat(hostName, h.uri(), o);
    }
    state.putObservation(hostName, o);
    apply(h, o, Cause.of(Origin.MONITOR, cycle, "hypervisor did not answer"));
    if (state.requireHost(hostName).state() == HostState.ERROR) {
      backOff(hostName);
    }
  }

  /** Applies the liveness verdict on {@code o}, if any: the host's new state, and its VMs' when it is DOWN. */
  private void apply(Host h, HostObservation o, Cause cause) {
    HostLiveness.Verdict v = liveness.judge(h, o);
    if (v == null) {
      return;
    }
    state.transitionHost(h.name(), v.state(), v.reason(), null, cause);
    if (v.state() == HostState.ERROR || v.vmsUnreachable()) {
      // An incident: logged once, when the judgement changes (a verdict is only given on a change).
      LOG.warn("host {} is {}: {}", h.name(), v.state(), v.reason());
    }
    if (v.vmsUnreachable()) {
      for (Vm vm : state.vmsOn(h.name())) {
        if (!executor.isBusy(vm.name()) && vm.state() != VmState.UNKNOWN && VmState.MACHINE.allows(vm.state(), VmState.UNKNOWN)) {
          state.transitionVm(vm.name(), VmState.UNKNOWN, h.name(), null, "host " + h.name() + " is " + v.state(), null, cause);
        }
      }
    }
  }

  /** The next regular poll of an ERROR host waits period × 2^(n-1), at most five minutes. */
  private void backOff(String host) {
    int n = errorStreak.merge(host, 1, Integer::sum);
    Duration wait = period.multipliedBy(1L << Math.min(16, n - 1));
    if (wait.compareTo(MAX_ERROR_BACKOFF) > 0) {
      wait = MAX_ERROR_BACKOFF;
    }
    nextTry.put(host, clock.now().plus(wait));
  }

  /** A beat answered: the host is alive (its domains and counters wait for the next full read). */
  private void onBeat(String hostName, long cycle) {
    Host h = state.host(hostName).orElse(null);
    if (h == null || !h.state().polledByMonitor()) {
      return;
    }
    errorStreak.remove(hostName);
    nextTry.remove(hostName);
    HostObservation o = state.observation(hostName).beat(clock.now());
    state.putObservation(hostName, o);
    apply(h, o, Cause.of(Origin.MONITOR, cycle, HostLiveness.ANSWERS));
  }

  private void onSuccess(String hostName, Observation obs, java.time.Instant started, long cycle) {
    Host h = state.host(hostName).orElse(null);
    if (h == null || !h.state().polledByMonitor()) {
      return;
    }
    errorStreak.remove(hostName);
    nextTry.remove(hostName);
    boolean storageLostBefore = state.observation(hostName).storageLost();
    HostObservation o = observe(h, obs);
    if (o.storageLost() != storageLostBefore) {
      // Said once per change: the scheduler's filter (host-storage-lost) says it again for each VM it keeps away.
      state.tx().journal(EntryKind.UPDATED, SubjectKind.HOST, hostName, null, null, null, Cause.of(Origin.MONITOR, cycle, "storage leases"),
          o.storageLost() ? "storage leases EXPIRED: it answers but has lost the shared storage; no VM on shared storage is placed there"
              : "storage leases held again: VMs on shared storage may be placed there").commit();
    }
    apply(h, o, Cause.of(Origin.MONITOR, cycle, HostLiveness.ANSWERS));
    reconcileVms(hostName, obs.domains(), started, cycle);
  }

  /**
   * Corrects VMs from one observation. A VM whose state changed after the observation started is
   * left for the next one: the observation may predate the change (a migration that just landed).
   */
  private void reconcileVms(String hostName, List<DomainStatus> domains, java.time.Instant started, long cycle) {
    Cause cause = Cause.of(Origin.MONITOR, cycle, "observed on " + hostName);
    Map<String, DomainStatus> byName = new HashMap<>();
    for (DomainStatus d : domains) {
      byName.put(d.name(), d);
    }
    // VMs Corral places on this host.
    for (Vm vm : state.vmsOn(hostName)) {
      if (executor.isBusy(vm.name()) || vm.state().isTransient() || !vm.stateSince().isBefore(started)) {
        continue;
      }
      DomainStatus d = byName.get(vm.name());
      if (d == null) {
        if (vm.state() == VmState.UNKNOWN) {
          // It was unknown whether it ran here (a start or a recovery cut off, a host back from DOWN):
          // the host answers without it, so it runs nowhere. STOPPED, not FAILED: the Guardian restarts
          // an HA VM (its start defines the domain again), and `corral vm start` works for the others.
          state.transitionVm(vm.name(), VmState.STOPPED, hostName, null, "not defined on " + hostName + " when it answered again",
              null, cause);
        } else if (vm.state() == VmState.RUNNING || vm.state() == VmState.STOPPED || vm.state() == VmState.SUSPENDED) {
          state.transitionVm(vm.name(), VmState.FAILED, hostName, null, "its domain is no longer defined on " + hostName, null, cause);
          LOG.warn("vm {} on host {} FAILED: its domain is no longer defined there", vm.name(), hostName);
        }
        continue;
      }
      if (d.state().isActive()) {
        VmState seen = d.state() == DomainState.PAUSED ? VmState.SUSPENDED : VmState.RUNNING;
        if (vm.state() != seen && VmState.MACHINE.allows(vm.state(), seen)) {
          state.transitionVm(vm.name(), seen, hostName, null, "found " + d.state().name().toLowerCase() + " on " + hostName, null, cause);
        }
      } else if (vm.state() == VmState.RUNNING || vm.state() == VmState.UNKNOWN || vm.state() == VmState.SUSPENDED) {
        String how = d.state() == DomainState.CRASHED ? "crashed" : "stopped outside Corral";
        state.transitionVm(vm.name(), VmState.STOPPED, hostName, null, how + " on " + hostName, null, cause);
      }
    }
    // Domains Corral does not place here: moved outside Corral, or unknown (adopt).
    for (DomainStatus d : domains) {
      Vm known = state.vm(d.name()).orElse(null);
      if (known == null) {
        known = findByUuid(d.uuid());
      }
      if (known == null) {
        if (state.lastVmDeletion().isBefore(started)) {
          adopt(hostName, d, cause);
        }
      } else if (!known.stateSince().isBefore(started)) {
        continue;
      } else if (!hostName.equals(known.host()) && !hostName.equals(known.migrationTarget())
          && d.state().isActive() && known.uuid().equalsIgnoreCase(d.uuid())
          && !executor.isBusy(known.name()) && !known.state().isTransient()
          && (known.state() == VmState.UNKNOWN || known.state() == VmState.FAILED || known.state() == VmState.STOPPED)) {
        state.transitionVm(known.name(), VmState.RUNNING, hostName, null, "found running on " + hostName, null, cause);
      }
    }
  }

  private @Nullable Vm findByUuid(String uuid) {
    return state.vmByUuid(uuid).orElse(null);
  }

  private void adopt(String hostName, DomainStatus d, Cause cause) {
    if (!Names.isValid(d.name())) {
      return; // a domain name Corral cannot use as a VM name is left alone (and listed by `host check`)
    }
    boolean active = d.state().isActive();
    VmSpec spec = VmSpec.of(Math.max(1, d.vcpus()), Math.max(1, d.memoryMib()));
    String uuid = d.uuid() != null ? d.uuid() : UUID.nameUUIDFromBytes((hostName + "/" + d.name()).getBytes()).toString();
    Vm vm = new Vm(d.name(), uuid, spec, "adopted", active ? VmState.RUNNING : VmState.STOPPED,
        active ? DesiredState.RUNNING : DesiredState.STOPPED, hostName, null, List.of(),
        "adopted: domain found on " + hostName, clock.now(), clock.now(), 1);
    state.tx().put(vm).journal(EntryKind.CREATED, SubjectKind.VM, vm.name(), null, vm.state().name(), null,
        Cause.of(Origin.MONITOR, cause.cycle(), "adopted existing domain"),
        "adopted domain " + d.name() + " (" + d.vcpus() + " vCPUs, " + d.memoryMib() + " MiB) found on " + hostName).commit();
  }

  /**
   * Records one answered poll: host CPU and memory utilisation into its histories, and each
   * running VM's CPU utilisation (its domain's CPU-time delta over the interval and its vCPUs).
   */
  private HostObservation observe(Host h, Observation obs) {
    HostStats now = obs.stats();
    HostStats prev = lastStats.put(h.name(), now);
    HostObservation before = state.observation(h.name());
    long memUsed = 0;
    for (DomainStatus d : obs.domains()) {
      if (d.state().isActive()) {
        memUsed += d.memoryMib();
      }
    }
    Samples cpu = before.cpu();
    Samples memory = before.memory().append(clamp01((double) memUsed / Math.max(1, h.capacity().memoryMib())));
    if (prev != null) {
      cpu = cpu.append(now.utilisationSince(prev, h.capacity().cores()));
    }
    Map<String, VmObservation> vms = observeVms(h.name(), before, obs.domains(), prev, now);
    HostMetrics metrics = new HostMetrics(cpu.meanOfLast(window), memUsed, Math.min(window, cpu.size()), clock.now());
    HostObservation o = before.answered(clock.now(), cpu, memory, metrics, vms).withLeases(obs.leases());
    state.putObservation(h.name(), o);
    return o;
  }

  /**
   * The observations of the VMs running on {@code host}: each one's history goes on from where it
   * was last observed (this host, or the one it migrated from), with this poll's sample added when
   * there is an earlier reading to take the CPU-time delta from.
   */
  private Map<String, VmObservation> observeVms(String host, HostObservation before, List<DomainStatus> domains, @Nullable HostStats prev,
      HostStats now) {
    Map<String, VmObservation> out = new HashMap<>();
    double interval = prev == null ? 0 : now.monotonicNanos() - prev.monotonicNanos();
    for (DomainStatus d : domains) {
      if (!d.state().isActive() || state.vm(d.name()).isEmpty()) {
        continue;
      }
      VmObservation last = before.vms().get(d.name());
      if (last == null) {
        last = departed.remove(d.name());
      }
      Samples history = last != null ? last.cpu() : Samples.empty(historyCapacity());
      Long cpuNow = now.domainCpuNanos().get(d.name());
      Long cpuBefore = prev == null ? null : prev.domainCpuNanos().get(d.name());
      if (interval > 0 && cpuNow != null && cpuBefore != null) {
        history = history.append(clamp01((cpuNow - cpuBefore) / (interval * Math.max(1, d.vcpus()))));
      }
      out.put(d.name(), new VmObservation(host, history, d.memoryMib(), clock.now()));
    }
    for (Map.Entry<String, VmObservation> e : before.vms().entrySet()) {
      if (!out.containsKey(e.getKey()) && state.vm(e.getKey()).isPresent()) {
        departed.put(e.getKey(), e.getValue()); // left this host but still exists: it moved
      }
    }
    return out;
  }

  private int historyCapacity() {
    return Math.max(Samples.DEFAULT_CAPACITY, window);
  }

  private static double clamp01(double v) {
    return Double.isNaN(v) ? 0 : Math.max(0, Math.min(1, v));
  }

  /** Forgets what it knew of a removed host. */
  public void forget(String host) {
    lastStats.remove(host);
    lastFull.remove(host);
    lastMiss.remove(host);
    readAt.remove(host);
    errorStreak.remove(host);
    nextTry.remove(host);
  }
}
