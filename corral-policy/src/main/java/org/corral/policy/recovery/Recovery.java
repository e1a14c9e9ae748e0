package org.corral.policy.recovery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.corral.model.host.Host;
import org.corral.model.image.Image;
import org.corral.model.plan.Action;
import org.corral.model.plan.Cause;
import org.corral.model.plan.Origin;
import org.corral.model.plan.Plan;
import org.corral.model.plan.Planner;
import org.corral.model.snapshot.Snapshot;
import org.corral.model.vm.DesiredState;
import org.corral.model.vm.DiskSpec;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmState;
import org.corral.policy.placement.Placement;
import org.corral.policy.placement.PlacementSession;
import org.corral.policy.placement.Scheduler;
import org.jspecify.annotations.Nullable;

/**
 * The Guardian's decision on one snapshot: each failed host is fenced, waited for or given up as
 * off ({@link Fencing}); the VMs of hosts proven off restart on other hosts, HIGH first, then
 * MEDIUM, then LOW (by name within a level), each where the {@link Scheduler} places it (capacity,
 * requirements, affinity and anti-affinity, every VM placed counting for the next), reserved spare
 * hosts first ({@link PlacementSession#placeForRecovery}). When no host
 * that is on has room, an OFF host is woken (a PowerOnHost; its VMs are placed once it is UP).
 * VMs whose disks are on the failed host's local storage, and VMs at HA level NONE, cannot or must
 * not restart: they are given up (FAILED, with the reason) for the loop to apply. The running VMs
 * of a host in MAINTENANCE live-migrate away (planned evacuation). A fenced host
 * that holds no VM any more is switched back on (reboot fencing): cut off or hung, it rejoins.
 * Once nothing fails, the VMs on a reserved spare live-migrate back to the other hosts, a few at a
 * time, so that the spare is empty for the next failure ({@link SpareReturn}).
 *
 * <p>Pure: the same snapshot, busy set and failure facts give the same decision.
 */
public final class Recovery {
  private final Scheduler scheduler;
  private final CrashRestarts crashRestarts;
  private final GuestHeartbeat heartbeat;
  private final int perHost;
  private final SoftFencing soft;
  private final SpareReturn spareReturn;

  /**
   * How long soft fencing may take: {@code timeout} for the restart command, then {@code grace}
   * for the hypervisor to answer again. Hard fencing waits for both when the host stays silent.
   */
  public record SoftFencing(java.time.Duration timeout, java.time.Duration grace) {
    public static final SoftFencing DEFAULT = new SoftFencing(java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(10));

    public SoftFencing {
      Objects.requireNonNull(timeout, "timeout");
      Objects.requireNonNull(grace, "grace");
    }
  }

  /**
   * Moving VMs back off reserved spare hosts once nothing is failing ({@code guardian.spareReturn}):
   * a spare is kept empty for the next failure, so the VMs a recovery put there live-migrate to
   * where the scheduler places them among the other hosts that are up.
   *
   * @param on      whether the Guardian moves them at all
   * @param perHost live migrations off one spare, or onto one target, in flight at once at most
   *                (the executor's {@code maxMigrationsPerHost})
   * @param total   live migrations off all spares in flight at once at most (the executor's
   *                {@code maxMigrations})
   */
  public record SpareReturn(boolean on, int perHost, int total) {
    /** On, within the executor's default migration limits (2 per host, 8 in all). */
    public static final SpareReturn DEFAULT = new SpareReturn(true, 2, 8);
    /** Off: VMs stay on the spare until someone moves them. */
    public static final SpareReturn OFF = new SpareReturn(false, 1, 1);

    public SpareReturn {
      if (perHost < 1 || total < 1) {
        throw new IllegalArgumentException("perHost and total must be at least 1, got " + perHost + " and " + total);
      }
    }
  }

  /** With the default soft fencing times and no guest-agent heartbeats. */
  public Recovery(Scheduler scheduler, CrashRestarts crashRestarts, int perHost) {
    this(scheduler, crashRestarts, GuestHeartbeat.OFF, perHost, SoftFencing.DEFAULT);
  }

  /** With no guest-agent heartbeats. */
  public Recovery(Scheduler scheduler, CrashRestarts crashRestarts, int perHost, SoftFencing soft) {
    this(scheduler, crashRestarts, GuestHeartbeat.OFF, perHost, soft);
  }

  /** With the default soft fencing times. */
  public Recovery(Scheduler scheduler, CrashRestarts crashRestarts, GuestHeartbeat heartbeat, int perHost) {
    this(scheduler, crashRestarts, heartbeat, perHost, SoftFencing.DEFAULT);
  }

  /**
   * @param perHost restarts sent to one host in one pass at most (the executor's actions per host
   *                at once): more would queue behind the first boots, so the rest go to the next
   *                best hosts instead
   * @param soft    the times of soft fencing, for hosts that have it ({@code power.soft})
   * @param heartbeat when a VM whose guest agent falls silent counts as hung ({@link GuestHeartbeat})
   */
  public Recovery(Scheduler scheduler, CrashRestarts crashRestarts, GuestHeartbeat heartbeat, int perHost, SoftFencing soft) {
    this(scheduler, crashRestarts, heartbeat, perHost, soft, SpareReturn.DEFAULT);
  }

  /** As the constructor before, with {@code spareReturn} deciding whether and how fast VMs leave the spares. */
  public Recovery(Scheduler scheduler, CrashRestarts crashRestarts, GuestHeartbeat heartbeat, int perHost, SoftFencing soft,
      SpareReturn spareReturn) {
    this.spareReturn = Objects.requireNonNull(spareReturn, "spareReturn");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.crashRestarts = Objects.requireNonNull(crashRestarts, "crashRestarts");
    this.heartbeat = Objects.requireNonNull(heartbeat, "heartbeat");
    this.soft = Objects.requireNonNull(soft, "soft");
    if (perHost < 1) {
      throw new IllegalArgumentException("perHost must be at least 1, got " + perHost);
    }
    this.perHost = perHost;
  }

  /** A VM that will not be restarted, and why (it goes FAILED). */
  public record GiveUp(String vm, String host, String reason) {}

  /**
   * The plan (fencing, recoveries, hosts to wake, notes), the VMs given up, and the VMs still
   * believed active on a host that is DOWN or proven off (an action on them was in flight when
   * the host went DOWN, so the Monitor left them): they are UNKNOWN, and restart like the rest.
   */
  public record Decision(Plan plan, List<GiveUp> givenUp, List<GiveUp> lost) {
    public Decision {
      givenUp = List.copyOf(givenUp);
      lost = List.copyOf(lost);
    }
  }

  /**
   * Decides for every host of {@code snapshot}.
   *
   * @param failures       what is known of each host beyond the snapshot (its power controller's
   *                       answer, its leases, an administrator's confirmation)
   * @param observedSince  a DOWN host is judged only from an observation taken at or after this
   *                       instant (the controller's start): no action on stale state
   * @param restartsOf     when each VM that stopped on its own was restarted before ({@link CrashRestarts})
   */
  public Decision decide(Snapshot snapshot, Planner planner, Function<String, HostFailure> failures, Instant observedSince,
      Function<String, List<Instant>> restartsOf) {
    return decide(snapshot, planner, failures, observedSince, restartsOf, vm -> List.of());
  }

  /**
   * As {@link #decide(Snapshot, Planner, Function, Instant, Function)}, knowing which restarts of
   * each VM the host refused ({@code refusedOf}: they did not run it, so they count for the backoff
   * but not towards giving up).
   */
  public Decision decide(Snapshot snapshot, Planner planner, Function<String, HostFailure> failures, Instant observedSince,
      Function<String, List<Instant>> restartsOf, Function<String, List<Instant>> refusedOf) {
    long cycle = snapshot.cycle();
    List<Action> actions = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    List<GiveUp> givenUp = new ArrayList<>();
    List<GiveUp> lost = new ArrayList<>();
    List<Restart> restarts = new ArrayList<>();
    for (Host h : snapshot.hosts().values()) {
      Fencing.Verdict v = Fencing.decide(h.state(), facts(h, failures.apply(h.name())));
      if (v.decision() != Fencing.Decision.NOTHING) {
        for (Vm vm : snapshot.vmsOn(h.name())) {
          if (believedActive(vm.state()) && !planner.isBusy(vm.name())) {
            lost.add(new GiveUp(vm.name(), h.name(), "host " + h.name() + " is " + h.state()));
          }
        }
      }
      switch (v.decision()) {
        case NOTHING -> { }
        case WAIT -> notes.add(h.name() + ": " + v.reason());
        case SOFT_FENCE -> {
          if (stale(snapshot, h, observedSince)) {
            notes.add(h.name() + ": waits for a fresh observation before restarting its hypervisor");
          } else if (!planner.isBusy(h.name())) {
            actions.add(new Action.SoftFenceHost(SOFT_FENCE + h.name() + "/" + h.version(), h.name(), soft.timeout(), soft.grace(),
                Cause.of(Origin.GUARDIAN, cycle, "host " + h.name() + " is DOWN (" + h.stateReason() + "): " + v.reason())));
          }
        }
        case FENCE -> {
          if (stale(snapshot, h, observedSince)) {
            notes.add(h.name() + ": waits for a fresh observation before fencing");
          } else if (!planner.isBusy(h.name())) {
            actions.add(new Action.FenceHost("fence/" + h.name() + "/" + h.version(), h.name(),
                Cause.of(Origin.GUARDIAN, cycle, "host " + h.name() + " is DOWN (" + h.stateReason() + "): " + v.reason())));
          }
        }
        case RESTART_ELSEWHERE -> {
          if (h.state() != org.corral.model.host.HostState.FENCED && stale(snapshot, h, observedSince)) {
            notes.add(h.name() + ": waits for a fresh observation before restarting its VMs");
            continue;
          }
          boolean holds = false;
          for (Vm vm : snapshot.vmsOn(h.name())) {
            // A VM that stopped on its own there (it should run) restarts with the rest.
            boolean wanted = vm.desired() == DesiredState.RUNNING && (vm.state() == VmState.UNKNOWN || vm.state() == VmState.STOPPED);
            holds |= vm.state().reservesHost() && (vm.state() != VmState.STOPPED || wanted);
            if (wanted && !planner.isBusy(vm.name())) {
              restarts.add(new Restart(vm, h, v.reason()));
            }
          }
          // Reboot fencing: once a fenced host holds no VM that may still need it, it is switched
          // back on; if it was only cut off or hung, it rejoins empty (if it is broken, powering
          // on fails and says so).
          if (!holds && h.state() == org.corral.model.host.HostState.FENCED && h.power().canPowerOn() && !planner.isBusy(h.name())) {
            actions.add(new Action.PowerOnHost("rejoin/" + h.name() + "/" + h.version(), h.name(),
                Cause.of(Origin.GUARDIAN, cycle, "fenced host " + h.name() + " holds no VM any more: switched back on to rejoin")));
          }
        }
      }
    }
    restarts.sort(Comparator.comparing((Restart r) -> r.vm().spec().ha()).thenComparing(r -> r.vm().name()));
    Lazy session = new Lazy(snapshot);
    Set<String> waking = new LinkedHashSet<>();
    java.util.Map<String, Integer> sent = new java.util.HashMap<>();
    for (Restart r : restarts) {
      Vm vm = r.vm();
      String failed = r.host().name();
      if (!vm.spec().ha().restarted()) {
        givenUp.add(new GiveUp(vm.name(), failed, "host " + failed + " failed (" + r.why() + "); HA level none: not restarted"));
        continue;
      }
      String local = localDisk(snapshot, vm);
      if (local != null) {
        givenUp.add(new GiveUp(vm.name(), failed, "host " + failed + " failed (" + r.why() + "); its disk " + local
            + " is on that host's local storage, so it cannot start elsewhere"));
        continue;
      }
      // Dependency order: a VM starts after the VMs it depends on, so it waits for those that will
      // run again (restarted by HA, not FAILED or stopped on purpose; one that will not is no reason to wait).
      Vm dep = snapshot.firstDependency(vm, d -> d.state() != VmState.RUNNING && d.state() != VmState.FAILED
          && d.desired() == DesiredState.RUNNING && d.spec().ha().restarted());
      if (dep != null) {
        notes.add(vm.name() + ": waits for " + dep.name() + " (" + dep.state() + ") to run again before it restarts: it depends on it");
        continue;
      }
      PlacementSession.PlacementOutcome out = session.get().placeForRecovery(vm);
      Placement p = out.placement();
      if (p == null) {
        notes.add(vm.name() + ": no host to restart it on: " + Objects.requireNonNull(out.unplaced()).summary());
      } else if (p.powerOn() || waking.contains(p.host())) { // a host woken for an earlier VM of this pass
        if (waking.add(p.host())) {
          Host off = Objects.requireNonNull(snapshot.host(p.host()));
          if (!planner.isBusy(off.name())) {
            actions.add(new Action.PowerOnHost("wake/" + off.name() + "/" + off.version(), off.name(),
                Cause.of(Origin.GUARDIAN, cycle, "room to restart the VMs of failed host " + failed)));
          }
        }
        notes.add(vm.name() + ": waits for " + (spare(snapshot, p.host()) ? "reserved spare " : "") + p.host() + " to power on");
      } else {
        if (sent.merge(p.host(), 1, Integer::sum) >= perHost) {
          session.get().exclude(p.host()); // full for this pass: the next VMs go to the next best hosts
        }
        actions.add(new Action.RecoverVm(RECOVER + vm.name() + "/" + vm.version(), vm.name(), failed, p.host(),
            Cause.of(Origin.GUARDIAN, cycle, "host " + failed + " failed (" + r.why() + "); HA "
                + vm.spec().ha().name().toLowerCase(java.util.Locale.ROOT) + "; " + (spare(snapshot, p.host()) ? p.host() + " is a reserved spare (spares first); " : "") + p.reason())));
      }
    }
    for (Host h : snapshot.hosts().values()) {
      if (h.state() == org.corral.model.host.HostState.MAINTENANCE) {
        evacuate(snapshot, planner, h, actions, notes, session);
      }
    }
    crashed(snapshot, planner, restartsOf, refusedOf, actions, notes, givenUp, session);
    returnFromSpares(snapshot, planner, actions, notes, session);
    return new Decision(new Plan(Origin.GUARDIAN, cycle, actions, notes), givenUp, lost);
  }

  /** Prefix of the key of a restart elsewhere after a VM's host failed. */
  public static final String RECOVER = "recover/";
  /** Prefix of the key of a soft fencing (restarting a DOWN host's hypervisor daemon). */
  public static final String SOFT_FENCE = "soft-fence/";

  /** Prefix of the key of a live migration off a host in maintenance. */
  public static final String EVACUATE = "evacuate/";

  /**
   * Planned evacuation: each VM running on a host in MAINTENANCE live-migrates to where the
   * scheduler places it (the executor's migration limits pace them). A VM that cannot move stays,
   * with a note saying why: a disk on local storage, no host with room, or not running (only a
   * running VM moves live).
   */
  private void evacuate(Snapshot snapshot, Planner planner, Host h, List<Action> actions, List<String> notes, Lazy lazy) {
    for (Vm vm : snapshot.vmsOn(h.name())) {
      if (planner.isBusy(vm.name()) || vm.state().isTransient()) {
        continue;
      }
      Placement p = moveLive(snapshot, vm, vm.name() + ": stays on " + h.name() + " (maintenance): ", notes, lazy);
      if (p == null) {
        continue;
      }
      actions.add(new Action.MigrateVm(EVACUATE + vm.name() + "/" + vm.version(), vm.name(), h.name(), p.host(),
          Cause.of(Origin.GUARDIAN, snapshot.cycle(), "host " + h.name() + " is in maintenance (" + h.stateReason() + "): "
              + p.reason())));
    }
  }

  /**
   * Where {@code vm} live-migrates off its host: a host that is on, as the scheduler places it
   * (never a spare: {@link PlacementSession#place} skips them). Null when it cannot move, with a
   * note ({@code stays} and why): not running (only a running VM moves live), a disk on local
   * storage, or no host that is on with room for it.
   */
  private static @Nullable Placement moveLive(Snapshot snapshot, Vm vm, String stays, List<String> notes, Lazy lazy) {
    if (vm.state() != VmState.RUNNING) {
      notes.add(stays + "it is " + vm.state() + ", and only a running VM moves live");
      return null;
    }
    String local = localDisk(snapshot, vm);
    if (local != null) {
      notes.add(stays + "its disk " + local + " is on local storage; live migration needs shared storage");
      return null;
    }
    PlacementSession.PlacementOutcome out = lazy.get().place(vm);
    Placement p = out.placement();
    if (p == null || !on(snapshot, p)) {
      if (p != null) {
        lazy.get().unassign(vm, p.host());
      }
      notes.add(stays + "no host that is on has room for it" + (out.unplaced() != null ? ": " + out.unplaced().summary() : ""));
      return null;
    }
    return p;
  }

  /** Prefix of the key of a live migration back off a reserved spare host. */
  public static final String SPARE_RETURN = "spare-return/";

  /**
   * Returns from reserved spares: the running VMs on a spare that is UP live-migrate to where the
   * scheduler places them among the other hosts that are on (capacity, requirements, affinity and
   * anti-affinity; never another spare, never a host to wake), so that the spare is empty for the
   * next failure. At most {@link SpareReturn#perHost} in flight off one spare and sent to one
   * target, and {@link SpareReturn#total} off all spares: a few per pass, not a herd.
   *
   * <p>Only while nothing fails ({@link #holdsSpares}): a failure's VMs go to the spares first, so
   * while one may still need the spare's room, no VM leaves it (see there why).
   */
  private void returnFromSpares(Snapshot snapshot, Planner planner, List<Action> actions, List<String> notes, Lazy lazy) {
    List<Host> spares = new ArrayList<>();
    for (Host h : snapshot.hosts().values()) {
      if (h.state() == org.corral.model.host.HostState.UP && scheduler.spare(h) && held(snapshot, h.name()) > 0) {
        spares.add(h);
      }
    }
    if (spares.isEmpty()) {
      return;
    }
    spares.sort(Comparator.comparing(Host::name));
    if (!spareReturn.on()) {
      for (Host h : spares) {
        notes.add(h.name() + ": reserved spare holding " + held(snapshot, h.name())
            + " VM(s); guardian.spareReturn is false, so they stay until moved (corral vm migrate)");
      }
      return;
    }
    String hold = holdsSpares(snapshot, actions);
    if (hold != null) {
      for (Host h : spares) {
        notes.add(h.name() + ": reserved spare holding " + held(snapshot, h.name())
            + " VM(s); they move back once nothing fails: " + hold);
      }
      return;
    }
    int total = 0;
    for (Host h : spares) {
      total += leaving(snapshot, planner, h.name());
    }
    java.util.Map<String, Integer> sent = new java.util.HashMap<>();
    try {
      for (Host h : spares) {
        int from = leaving(snapshot, planner, h.name());
        List<Vm> on = new ArrayList<>(snapshot.vmsOn(h.name()));
        on.sort(Comparator.comparing((Vm v) -> v.spec().ha()).thenComparing(Vm::name));
        for (Vm vm : on) {
          if (planner.isBusy(vm.name()) || vm.state().isTransient() || !vm.state().reservesHost()) {
            continue;
          }
          String stays = vm.name() + ": stays on reserved spare " + h.name() + ": ";
          if (vm.state() == VmState.RUNNING && (from >= spareReturn.perHost() || total >= spareReturn.total())) {
            notes.add(stays + "for now: " + (from >= spareReturn.perHost() ? spareReturn.perHost() + " migration(s) off one host"
                : spareReturn.total() + " migration(s) off the spares") + " at once at most (executor.maxMigrations"
                + (from >= spareReturn.perHost() ? "PerHost" : "") + "); it follows");
            continue;
          }
          Placement p = moveLive(snapshot, vm, stays, notes, lazy);
          if (p == null) {
            continue;
          }
          if (sent.merge(p.host(), 1, Integer::sum) >= spareReturn.perHost()) {
            lazy.get().exclude(p.host()); // as many as one host takes at once: the next go elsewhere, or wait
          }
          from++;
          total++;
          actions.add(new Action.MigrateVm(SPARE_RETURN + vm.name() + "/" + vm.version(), vm.name(), h.name(), p.host(),
              Cause.of(Origin.GUARDIAN, snapshot.cycle(), "returns from reserved spare " + h.name() + ": "
                  + p.reason())));
        }
      }
    } finally {
      sent.keySet().forEach(t -> lazy.get().include(t));
    }
  }

  /**
   * Why no VM leaves a spare now, or null when they may. A VM moves back only when nothing fails:
   * <ul>
   *   <li>no host is SUSPECT, DOWN, FENCING or FENCED: a failed host's VMs are restarted on the
   *       spares first, and a suspect host may be failed in a few beats. A migration holds room on
   *       both its source and its target until it ends, and takes action slots on both hosts, so a
   *       VM leaving the spare in the middle of a failure could take the room (on a target) that a
   *       recovery is about to be placed in, delay the recovery's boots behind it, or land on the
   *       very host that is failing next;</li>
   *   <li>no VM is UNKNOWN or RECOVERING: a recovery is waiting or running (also after a
   *       controller restart, or onto a target that stopped answering), and its room must stay
   *       where it was placed;</li>
   *   <li>this pass plans no fencing, recovery or wake-up ({@code actions}).</li>
   * </ul>
   */
  private static @Nullable String holdsSpares(Snapshot snapshot, List<Action> actions) {
    for (Host h : snapshot.hosts().values()) {
      switch (h.state()) {
        case SUSPECT, DOWN, FENCING, FENCED -> {
          return "host " + h.name() + " is " + h.state();
        }
        default -> { }
      }
    }
    for (Action a : actions) {
      if (a instanceof Action.RecoverVm || a instanceof Action.FenceHost || a instanceof Action.SoftFenceHost
          || a instanceof Action.PowerOnHost) {
        return "the Guardian plans " + a.key();
      }
    }
    for (Vm vm : snapshot.vms().values()) {
      if (vm.state() == VmState.UNKNOWN || vm.state() == VmState.RECOVERING) {
        return vm.name() + " is " + vm.state() + " (a recovery may still need the spare's room)";
      }
    }
    return null;
  }

  /**
   * VMs on {@code host} live-migrating now, or with an action queued or running (counted as
   * leaving, to be safe: the executor may not have started the migration of an earlier pass yet).
   */
  private static int leaving(Snapshot snapshot, Planner planner, String host) {
    int n = 0;
    for (Vm vm : snapshot.vmsOn(host)) {
      if (vm.state() == VmState.MIGRATING || (vm.state().reservesHost() && planner.isBusy(vm.name()))) {
        n++;
      }
    }
    return n;
  }

  /** VMs that hold room on {@code host} (a FAILED VM that names it holds none). */
  private static int held(Snapshot snapshot, String host) {
    int n = 0;
    for (Vm vm : snapshot.vmsOn(host)) {
      if (vm.state().reservesHost()) {
        n++;
      }
    }
    return n;
  }

  /** Prefix of the key of a restart in place after a VM stopped on its own. */
  public static final String RESTART = "restart/";
  /** Prefix of the key of a restart on another host after a VM stopped on its own again. */
  public static final String RESTART_ELSEWHERE = "restart-elsewhere/";

  /** Prefix of the key of the forced stop of a VM whose guest hangs (its agent fell silent). */
  public static final String HUNG = "hung/";

  /**
   * VMs that should run but stopped on their own (STOPPED while desired RUNNING, on a host that is
   * UP): restarted in place, then elsewhere, then given up ({@link CrashRestarts}). A RUNNING VM
   * whose guest agent fell silent ({@link GuestHeartbeat}) hangs: it is forced off, and then
   * counts as one that stopped on its own, with the silence as the reason.
   */
  private void crashed(Snapshot snapshot, Planner planner, Function<String, List<Instant>> restartsOf,
      Function<String, List<Instant>> refusedOf, List<Action> actions, List<String> notes, List<GiveUp> givenUp, Lazy lazy) {
    for (Vm vm : snapshot.vms().values()) {
      String on = vm.host();
      boolean running = vm.state() == VmState.RUNNING && heartbeat.on();
      if ((vm.state() != VmState.STOPPED && !running) || vm.desired() != DesiredState.RUNNING || on == null
          || !vm.spec().ha().restarted() || planner.isBusy(vm.name())) {
        continue;
      }
      Host h = snapshot.host(on);
      if (h == null || !h.state().acceptsVms()) {
        continue;
      }
      long cycle = snapshot.cycle();
      org.corral.model.snapshot.AgentObservation agent = snapshot.agent(vm.name());
      if (running && agent != null && !agent.since().equals(vm.stateSince())) {
        agent = null; // observed in an earlier run: this one has not been asked yet
      }
      String hang = heartbeat.silence(agent, snapshot.now());
      if (running) {
        if (hang != null) {
          actions.add(new Action.StopVm(HUNG + vm.name() + "/" + vm.version(), vm.name(), on, true,
              Cause.of(Origin.GUARDIAN, cycle, vm.name() + " hangs: " + hang + "; forced off to restart it")));
        }
        continue;
      }
      CrashRestarts.Next next = crashRestarts.next(restartsOf.apply(vm.name()), refusedOf.apply(vm.name()), snapshot.now());
      String why = hang != null ? vm.name() + " hung: " + hang : vm.name() + " stopped on its own (" + vm.stateReason() + ")";
      CrashRestarts.Step step = next.step();
      // A host that lost the shared storage cannot take the disk's lease: no use restarting there.
      if (step == CrashRestarts.Step.IN_PLACE && snapshot.observation(on).storageLost() && localDisk(snapshot, vm) == null) {
        step = CrashRestarts.Step.ELSEWHERE;
        why += "; " + on + " has lost the shared storage";
      }
      switch (step) {
        case WAIT -> notes.add(vm.name() + ": stopped on its own again; next restart at " + next.until());
        case GIVE_UP -> givenUp.add(new GiveUp(vm.name(), on, "stopped on its own " + crashRestarts.max() + " times within "
            + crashRestarts.window().toMinutes() + " min; not restarted again (`corral vm start " + vm.name() + "` tries again)"));
        case IN_PLACE -> actions.add(new Action.StartVm(RESTART + vm.name() + "/" + vm.version(), vm.name(), on,
            Cause.of(Origin.GUARDIAN, cycle, why + "; restarted in place")));
        case ELSEWHERE -> {
          Placement p = null;
          if (localDisk(snapshot, vm) == null) {
            PlacementSession session = lazy.get();
            session.remove(vm.name());
            session.exclude(on);
            p = session.place(vm).placement();
            session.include(on);
            if (p != null && !on(snapshot, p)) {
              session.unassign(vm, p.host());
              p = null; // not worth waking a host for: in place
            }
          }
          if (p == null) {
            actions.add(new Action.StartVm(RESTART + vm.name() + "/" + vm.version(), vm.name(), on,
                Cause.of(Origin.GUARDIAN, cycle, why + " again; no other host for it: restarted in place")));
          } else {
            actions.add(new Action.RecoverVm(RESTART_ELSEWHERE + vm.name() + "/" + vm.version(), vm.name(), on, p.host(),
                Cause.of(Origin.GUARDIAN, cycle, why + " again; restarted on another host: " + p.reason())));
          }
        }
      }
    }
  }

  /** One placement session per decision, made only when a VM needs placing (it costs a pass over the hosts). */
  private final class Lazy {
    private final Snapshot snapshot;
    private @Nullable PlacementSession session;

    Lazy(Snapshot snapshot) {
      this.snapshot = snapshot;
    }

    PlacementSession get() {
      if (session == null) {
        session = scheduler.session(snapshot, true);
      }
      return session;
    }
  }

  /** True when {@code host} is a reserved spare (the reasons say so). */
  private boolean spare(Snapshot snapshot, String host) {
    Host h = snapshot.host(host);
    return h != null && scheduler.spare(h);
  }

  /** True when a placement's host is on and takes VMs now (not one to wake, nor one woken earlier in the pass). */
  private static boolean on(Snapshot snapshot, Placement p) {
    Host h = snapshot.host(p.host());
    return !p.powerOn() && h != null && h.state().acceptsVms();
  }

  /** States in which Corral believes a VM's domain runs on its host. */
  private static boolean believedActive(VmState s) {
    return switch (s) {
      case RUNNING, BOOTING, SUSPENDED, STOPPING -> true;
      default -> false;
    };
  }

  private record Restart(Vm vm, Host host, String why) {}

  /**
   * The facts as the host's power spec allows them: no power controller's answer without power
   * control, no soft fencing without a method for it.
   */
  private static HostFailure facts(Host h, HostFailure f) {
    SoftFence soft = h.power().canSoftFence() ? f.soft() : SoftFence.NOT_CONFIGURED;
    BmcAnswer bmc = h.power().canPowerOff() ? f.bmc() : BmcAnswer.NO_POWER_CONTROL;
    return new HostFailure(bmc, f.leaseExpired(), f.confirmedOff(), soft);
  }

  private static boolean stale(Snapshot s, Host h, Instant observedSince) {
    return s.observation(h.name()).observedAt().isBefore(observedSince);
  }

  /** The first disk of {@code vm} not on shared storage (its image missing counts as local), or null. */
  public static @Nullable String localDisk(Snapshot s, Vm vm) {
    for (DiskSpec d : vm.spec().disks()) {
      Image img = s.images().get(d.image());
      if (img == null || !img.shared()) {
        return d.image();
      }
    }
    return null;
  }
}
