package org.corral.policy.consolidation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.corral.model.Resources;
import org.corral.model.host.Host;
import org.corral.model.host.HostState;
import org.corral.model.host.PowerModel;
import org.corral.model.plan.Action;
import org.corral.model.plan.Cause;
import org.corral.model.plan.Origin;
import org.corral.model.plan.Plan;
import org.corral.model.plan.Planner;
import org.corral.model.snapshot.HostObservation;
import org.corral.model.snapshot.Samples;
import org.corral.model.snapshot.Snapshot;
import org.corral.model.snapshot.VmObservation;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmState;
import org.corral.policy.placement.PlacementSession;
import org.corral.policy.placement.Scheduler;
import org.jspecify.annotations.Nullable;

/**
 * The optimizer's decision: a pure function of a snapshot (measured utilisation of hosts and VMs)
 * to a plan of MigrateVm, PowerOffHost and PowerOnHost actions, each with the numbers behind it.
 * <ol>
 *   <li>Overload: each host its detector calls overloaded hands over VMs its selector picks until
 *       it is no longer overloaded.</li>
 *   <li>Underload: hosts whose demand is under {@code lower}, least loaded first, are drained all
 *       or nothing, so that they can be switched off.</li>
 *   <li>Both place by power-aware best fit, decreasing: VMs by CPU in use, largest first, each on
 *       the host whose measured power rises least, among hosts that pass the scheduler's filters
 *       (memory always fits, vCPU overcommit, affinity, requirements) and stay at or under
 *       {@code upper} with it.</li>
 *   <li>Power: hosts seen empty for {@code emptySamples} polls are switched off, least efficient
 *       first, keeping {@code reserveHosts} empty ones on and never the last one; an OFF host is
 *       woken only when an overloaded host's VM or a PENDING VM has no room, or to restore the
 *       reserve once it has been used up (underload never wakes one).</li>
 * </ol>
 * Subjects the planner reports busy, and VMs that changed state within the cool-down, are left
 * alone. A converged data centre gives an empty plan.
 */
public final class Consolidation {
  private final Scheduler scheduler;
  private final ConsolidationSettings settings;
  private final Duration interval;
  private final boolean useIndex;

  /**
   * @param scheduler the placement rules destinations must satisfy
   * @param interval  the time between two utilisation samples (the Monitor's period)
   */
  public Consolidation(Scheduler scheduler, ConsolidationSettings settings, Duration interval) {
    this(scheduler, settings, interval, true);
  }

  /**
   * {@code useIndex = false} walks every host of each power group for every VM that moves: the
   * reference the tests compare the {@link DestinationIndex} with.
   */
  Consolidation(Scheduler scheduler, ConsolidationSettings settings, Duration interval, boolean useIndex) {
    this.scheduler = scheduler;
    this.settings = settings;
    this.interval = interval;
    this.useIndex = useIndex;
  }

  public ConsolidationSettings settings() {
    return settings;
  }

  /** Decides on {@code s}; does not submit (the caller hands the plan to its planner). */
  public Plan decide(Snapshot s, Planner planner) {
    return new Pass(s, planner).run();
  }

  /** One decision: the working state of a single call. */
  private final class Pass {
    final Snapshot s;
    final Planner planner;
    final PlacementSession session;
    final List<Action> actions = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    /** CPU demand per usable host (by position in {@link #order}) as a share of its cores, updated as VMs move. */
    final double[] load;
    /**
     * Published rules: the load each host had when the pass began, against which a destination's
     * added power is measured (CloudSim's "stale baseline", §5.5: a host that already took a VM
     * this pass is charged from its old load, which discourages stacking within one pass).
     */
    final double[] startLoad;
    /** Each host's power at {@link #startLoad}. */
    final double[] startWatts;
    /** What the session leaves free on each host, as of its last {@link #reindex}: the walk's cheap first check. */
    final long[] freeMemory;
    final double[] freeCpus;
    /** Overloaded or drained in this pass: takes no VM (by position). */
    final boolean[] blocked;
    /** Receives a VM in this pass (by position). */
    final boolean[] receiving;
    /** Receives a VM drained from an underloaded host in this pass (by position). */
    final boolean[] receivingDrained;
    /**
     * Published rules: the VMs the overload phase sends to each host (by position), with the index
     * of their action, so that a drain of that host sends them on (§5.6: CloudSim drains a host
     * that has just received a VM, and moves that VM again).
     */
    final Map<Integer, List<Arrival>> arrivals = new java.util.HashMap<>();
    final List<Vm> homeless = new ArrayList<>();
    int migrations;
    // The usable hosts in name order (a host's position), with what bestHost reads for each, built
    // once per pass: bestHost runs for every VM that moves.
    final String[] order;
    final Host[] hosts;
    /** What the snapshot has of each usable host: its VMs, and what was observed. */
    final List<List<Vm>> vmsAt;
    final HostObservation[] seen;
    final double[] cores;
    final PowerModel[] power;
    final boolean[] occupied;
    /**
     * The hosts a drained VM may go to: those running VMs; under published rules, those that ran
     * VMs when the pass began (CloudSim's hosts that were off at the start of a pass take no
     * drained VM, even after the overload phase sent them one, §5.6).
     */
    final boolean[] drainTarget;
    /**
     * Hosts grouped by (power model, cores), each group in name order, one group after another:
     * slot to host position, and back. Group g holds slots groupStart[g] to groupStart[g + 1].
     * With a linear model the power a VM adds is the same number on every host of a group, so the
     * group's first feasible host is its best and the search stops there; with other models every
     * feasible host of the group is compared. Exact either way.
     */
    final int[] hostAt;
    final int[] slot;
    final int[] groupStart;
    final boolean[] groupLinear;
    /** Watts per unit of load (a share of the cores) of each linear group's model. */
    final double[] groupSlope;
    /**
     * Published rules: the history of each destination with the VMs planned to land on it this
     * pass (by position; absent: as observed), which its detector reads (CloudSim sums the
     * histories of the VMs listed on a host, tentative arrivals included).
     */
    final Map<Integer, double[]> arriving = new java.util.HashMap<>();
    final boolean published = settings.rules() == ConsolidationSettings.Rules.PUBLISHED;
    final boolean herd = settings.rules() == ConsolidationSettings.Rules.HERD;
    /**
     * A destination running VMs is judged by the detector with the VM's own samples added to its
     * history, newest aligned with newest (published and herd rules): under herd rules, VMs that
     * peak together fail where VMs that peak apart pass.
     */
    final boolean judging = published || herd;
    /**
     * Herd rules: an empty host is charged its idle power as part of what a VM adds there (it
     * could otherwise stay off), so a VM goes to a host already running VMs unless none can take it.
     */
    final boolean chargeIdle = herd;
    /** Hosts that may take a VM (not blocked), and those of them that already run VMs; null when walking. */
    final @Nullable DestinationIndex anyHost;
    final @Nullable DestinationIndex occupiedHost;

    Pass(Snapshot s, Planner planner) {
      this.s = s;
      this.planner = planner;
      this.session = scheduler.session(s, false);
      hosts = s.hosts().values().stream().filter(this::usable).sorted(Comparator.comparing(Host::name)).toArray(Host[]::new);
      order = new String[hosts.length];
      vmsAt = new ArrayList<>(hosts.length);
      seen = new HostObservation[hosts.length];
      load = new double[order.length];
      blocked = new boolean[order.length];
      cores = new double[order.length];
      power = new PowerModel[order.length];
      occupied = new boolean[order.length];
      receiving = new boolean[order.length];
      receivingDrained = new boolean[order.length];
      drainTarget = new boolean[order.length];
      for (int i = 0; i < order.length; i++) {
        Host h = hosts[i];
        order[i] = h.name();
        vmsAt.add(s.vmsOn(order[i]));
        seen[i] = s.observation(order[i]);
        cores[i] = h.capacity().cores();
        power[i] = powerOf(h);
        occupied[i] = !vmsAt.get(i).isEmpty();
        drainTarget[i] = occupied[i];
        double used = 0;
        for (Vm vm : vmsAt.get(i)) {
          used += vmLoad(vm, seen[i]);
        }
        load[i] = used / cores[i];
      }
      startLoad = load.clone();
      startWatts = new double[order.length];
      freeMemory = new long[order.length];
      freeCpus = new double[order.length];
      for (int i = 0; i < order.length; i++) {
        startWatts[i] = power[i].wattsAt(Math.min(1, startLoad[i]));
      }
      Map<List<Object>, List<Integer>> byClass = new java.util.LinkedHashMap<>();
      for (int i = 0; i < order.length; i++) {
        byClass.computeIfAbsent(List.of(power[i], cores[i]), k -> new ArrayList<>()).add(i);
      }
      hostAt = new int[order.length];
      slot = new int[order.length];
      groupStart = new int[byClass.size() + 1];
      groupLinear = new boolean[byClass.size()];
      groupSlope = new double[byClass.size()];
      int g = 0;
      int next = 0;
      for (List<Integer> group : byClass.values()) {
        PowerModel model = power[group.getFirst()];
        groupStart[g] = next;
        groupLinear[g] = isLinear(model);
        groupSlope[g] = model.maxWatts() - model.idleWatts();
        for (int i : group) {
          hostAt[next] = i;
          slot[i] = next++;
        }
        g++;
      }
      groupStart[g] = next;
      // Only linear groups search the index (non-linear ones walk): without one, no index to keep.
      boolean searched = false;
      for (boolean linear : groupLinear) {
        searched |= linear;
      }
      anyHost = useIndex && searched ? new DestinationIndex(order.length) : null;
      occupiedHost = useIndex && searched ? new DestinationIndex(order.length) : null;
      for (int i = 0; i < order.length; i++) {
        reindex(i);
      }
    }

    Plan run() {
      relieveOverloaded();
      drainUnderloaded();
      if (!published) {
        planPower(); // published: the data centre counts an idle host as off; no power actions
      }
      return new Plan(Origin.OPTIMIZER, s.cycle(), actions, notes);
    }

    // ---- 1. overload --------------------------------------------------------------------

    void relieveOverloaded() {
      List<Moving> toMove = new ArrayList<>();
      for (int at = 0; at < order.length; at++) {
        String h = order[at];
        Detection d = settings.detector().test(hostLoad(at));
        if (!d.overloaded()) {
          continue;
        }
        blocked[at] = true;
        reindex(at);
        List<VmLoad> candidates = movable(at);
        long seed = s.seed() ^ h.hashCode();
        // The history the detector reads is the host's as it would have been without the VMs
        // chosen so far (CloudSim sums the histories of the VMs still on the host): otherwise a
        // regression detector, reading an unchanged past, would send away every VM.
        double[] history = history(at);
        while (d.overloaded()) {
          VmLoad chosen = settings.selector().select(candidates, seed++).orElse(null);
          if (chosen == null) {
            notes.add(h + " overloaded (" + d.reason() + ") but has no VM free to move");
            break;
          }
          candidates.remove(chosen);
          Vm vm = vm(chosen.vm());
          double vmCores = vmLoad(vm, seen[at]);
          session.unassign(vm, h); // it leaves h
          addDemand(at, -vmCores);
          toMove.add(new Moving(vm, vmCores, h, at, h + " overloaded: " + d.reason() + "; " + settings.selector().name() + " chose "
              + vm.name()));
          withoutVm(history, vm, vmCores, at);
          d = settings.detector().test(hostLoad(at, history));
        }
      }
      toMove.sort(Comparator.comparingDouble(Moving::cores).reversed());
      for (Moving m : toMove) {
        if (migrations >= settings.maxMigrations()) {
          notes.add("migration cap (" + settings.maxMigrations() + " a cycle) reached: " + m.vm.name() + " waits");
          stay(m);
          continue;
        }
        Destination d = bestHost(m.vm, m.cores, m.at, false);
        if (d == null) {
          notes.add(m.why + ", but no host that is on can take it");
          stay(m);
          homeless.add(m.vm);
          continue;
        }
        move(m.vm, m.cores, m.from, d, m.why);
      }
    }

    /** A VM chosen to leave that found no destination: back where it was. */
    void stay(Moving m) {
      session.assign(m.vm, m.from);
      addDemand(m.at, m.cores);
    }

    // ---- 2. underload -------------------------------------------------------------------

    void drainUnderloaded() {
      List<Integer> lightest = new ArrayList<>();
      // Published: judged on the load at the start of the pass (CloudSim's cached utilisation), so
      // a host the overload phase sends a VM to may still be drained, and one that was empty not.
      double[] judged = published ? startLoad : load;
      for (int i = 0; i < order.length; i++) {
        if (judged[i] < settings.lower() && !blocked[i] && occupied[i] && (!published || judged[i] > 0)) {
          lightest.add(i);
        }
      }
      // Least loaded first, ties by name (positions are in name order).
      lightest.sort(Comparator.comparingDouble((Integer i) -> judged[i]).thenComparingInt(i -> i));
      List<String> waiting = new ArrayList<>(); // underloaded hosts the cap leaves for a later cycle
      for (int k = 0; k < lightest.size(); k++) {
        int at = lightest.get(k);
        String h = order[at];
        if (published ? receivingDrained[at] : receiving[at]) {
          continue;
        }
        if (migrations >= settings.maxMigrations()) {
          // The cap is reached and each host left needs at least one more migration: stop here.
          for (int rest : lightest.subList(k, lightest.size())) {
            if (!receiving[rest]) {
              waiting.add(order[rest]);
            }
          }
          break;
        }
        List<Vm> onHost = vmsAt.get(at);
        if (onHost.size() + migrations > settings.maxMigrations()) {
          waiting.add(h);
          continue;
        }
        boolean free = true;
        for (Vm vm : onHost) {
          free &= vm.state() == VmState.RUNNING && !planner.isBusy(vm.name()) && !cooling(vm);
        }
        if (!free || planner.isBusy(h)) {
          continue; // a VM is busy or just moved: try again next cycle
        }
        List<Guest> vms = new ArrayList<>(onHost.size());
        for (Vm vm : onHost) {
          vms.add(new Guest(vm, vmLoad(vm, seen[at]), null));
        }
        for (Arrival a : published ? arrivals.getOrDefault(at, List.of()) : List.<Arrival>of()) {
          vms.add(new Guest(a.vm, a.cores, a));
        }
        vms.sort(Comparator.comparingDouble(Guest::cores).reversed().thenComparing(g -> g.vm.name()));
        for (Guest g : vms) {
          session.unassign(g.vm, h); // it leaves h
        }
        reindex(at);
        List<Destination> chosen = new ArrayList<>();
        List<Map.Entry<Integer, double[]>> tried = new ArrayList<>(); // published: histories before each arrival
        for (Guest g : vms) {
          // Only onto hosts already running VMs: emptying one host into another saves nothing.
          // Not back onto h, nor onto any drained host (blocked).
          Destination d = bestHost(g.vm, g.cores, at, true);
          if (d == null) {
            break;
          }
          session.assign(g.vm, d.host);
          addDemand(d.at, g.cores);
          chosen.add(d);
          if (judging) {
            double[] before = arriving.get(d.at);
            tried.add(Map.entry(d.at, before == null ? new double[0] : before));
            arrive(g.vm, d.at);
          }
        }
        PowerModel model = power[at];
        double added = chosen.stream().mapToDouble(Destination::watts).sum();
        double saving = model.wattsAt(Math.min(1, load[at])) - model.offWatts() - added;
        if (chosen.size() < vms.size() || (!published && saving < settings.minSavingWatts())) {
          // All or nothing: put everything back where it was.
          for (int i = 0; i < chosen.size(); i++) {
            session.unassign(vms.get(i).vm, chosen.get(i).host);
            addDemand(chosen.get(i).at, -vms.get(i).cores);
          }
          for (int i = tried.size() - 1; i >= 0; i--) {
            Map.Entry<Integer, double[]> t = tried.get(i);
            if (t.getValue().length == 0) {
              arriving.remove(t.getKey());
            } else {
              arriving.put(t.getKey(), t.getValue());
            }
          }
          for (Guest g : vms) {
            session.assign(g.vm, h);
          }
          // Published: a host that could not be emptied takes no VM for the rest of the pass.
          blocked[at] = published;
          reindex(at);
          notes.add(chosen.size() < vms.size()
              ? h + " underloaded but " + vms.get(chosen.size()).vm.name() + " has nowhere to go: it stays as it is"
              : String.format(Locale.ROOT, "%s underloaded but emptying it would save only %.1f W (< %.0f W): it stays as it is",
                  h, saving, settings.minSavingWatts()));
          continue;
        }
        blocked[at] = true;
        String why = String.format(Locale.ROOT, "%s underloaded: CPU demand %.0f%% < %.0f%%; emptying it to switch it off "
            + "saves about %.0f W", h, 100 * load[at], 100 * settings.lower(), saving);
        for (int i = 0; i < vms.size(); i++) {
          // Already accounted in the session above.
          Arrival a = vms.get(i).arrival;
          receivingDrained[chosen.get(i).at] = true;
          if (a == null) {
            record(vms.get(i).vm, h, chosen.get(i), why);
          } else {
            // Sent on: a second hop, from h, planned after the first (CloudSim runs and counts both).
            sendOn(a, h, chosen.get(i), why);
          }
        }
        arrivals.remove(at);
        load[at] = 0;
        reindex(at);
      }
      if (!waiting.isEmpty()) {
        notes.add("migration cap (" + settings.maxMigrations() + " a cycle): " + waiting.size() + " underloaded host(s) wait "
            + "for a later cycle, least loaded first: " + String.join(", ", waiting.subList(0, Math.min(3, waiting.size())))
            + (waiting.size() > 3 ? " and " + (waiting.size() - 3) + " more" : ""));
      }
    }

    // ---- 3. power -----------------------------------------------------------------------

    void planPower() {
      // One host powering on at a time: its room (and its being spare) is on the way.
      boolean arriving = s.hosts().values().stream().anyMatch(h -> h.state() == HostState.POWERING_ON);
      if (!arriving) {
        wakeForRoom();
      }
      List<Host> empty = new ArrayList<>();
      List<Host> emptySpares = new ArrayList<>();
      int on = order.length;
      for (int i = 0; i < order.length; i++) {
        Host h = hosts[i];
        // Not occupied: no VM in the snapshot and none arriving in this pass.
        if (!occupied[i] && s.reserved(h.name()).memoryMib() == 0 && seenEmpty(h, seen[i])
            && !planner.isBusy(h.name()) && h.power().offOrOn() != null && h.power().canPowerOn()) {
          (scheduler.spare(h) ? emptySpares : empty).add(h);
        }
      }
      boolean waking = actions.stream().anyMatch(a -> a instanceof Action.PowerOnHost);
      if (!arriving && !waking && emptyOn() < settings.reserveHosts()) {
        wakeForReserve();
      }
      // Least efficient first: the spare room kept on is the cheapest to keep.
      empty.sort(Comparator.comparingDouble((Host h) -> powerOf(h).idleWatts()).reversed().thenComparing(Host::name));
      int keep = Math.max(settings.reserveHosts(), 0);
      List<Host> off = new ArrayList<>(empty.subList(0, Math.max(0, empty.size() - keep)));
      // An empty reserved spare takes no new VM, so it is no part of the reserve: it goes off
      // first (the Guardian wakes it to recover a failed host's VMs).
      off.addAll(0, emptySpares);
      for (Host h : off) {
        if (on - 1 < 1) {
          break; // never the last host that is on
        }
        on--;
        String why = scheduler.spare(h)
            ? String.format(Locale.ROOT, "%s is a reserved spare, empty for %d polls; switching it off saves %.0f W (it is woken "
                + "to recover a failed host's VMs)", h.name(), settings.emptySamples(), powerOf(h).idleWatts())
            : String.format(Locale.ROOT, "%s empty for %d polls; %d spare host(s) stay on; switching it off saves %.0f W", h.name(),
                settings.emptySamples(), keep, powerOf(h).idleWatts());
        actions.add(new Action.PowerOffHost("optimize/power-off/" + h.name() + "/" + h.version(), h.name(),
            Cause.of(Origin.OPTIMIZER, s.cycle(), why)));
      }
    }

    /** UP hosts with no VM and none arriving this pass (the spare room that is on), reserved spares aside. */
    long emptyOn() {
      long n = 0;
      for (int i = 0; i < occupied.length; i++) {
        n += occupied[i] || scheduler.spare(hosts[i]) ? 0 : 1;
      }
      return n;
    }

    /** The reserve of empty hosts is used up: wake the OFF host with the lowest idle power. */
    void wakeForReserve() {
      s.hosts().values().stream()
          .filter(h -> h.state() == HostState.OFF && h.power().canPowerOn() && !planner.isBusy(h.name()) && !scheduler.spare(h))
          .min(Comparator.comparingDouble((Host h) -> powerOf(h).idleWatts()).thenComparing(Host::name))
          .ifPresent(h -> actions.add(new Action.PowerOnHost("optimize/power-on/" + h.name() + "/" + h.version(), h.name(),
              Cause.of(Origin.OPTIMIZER, s.cycle(), String.format(Locale.ROOT, "%d empty host(s) on, fewer than the reserve "
                  + "of %d; waking %s (idle %.0f W)", emptyOn(), settings.reserveHosts(), h.name(), powerOf(h).idleWatts())))));
    }

    /** Wakes the OFF host with the lowest idle power that makes room for what has none (an overloaded host's VM, a PENDING VM). */
    void wakeForRoom() {
      List<Vm> needRoom = new ArrayList<>(homeless);
      for (Vm vm : s.pending()) {
        if (!planner.isBusy(vm.name()) && !session.place(vm).isPlaced()) {
          needRoom.add(vm);
        }
      }
      if (needRoom.isEmpty()) {
        return;
      }
      List<Host> off = s.hosts().values().stream()
          .filter(h -> h.state() == HostState.OFF && h.power().canPowerOn() && !planner.isBusy(h.name()))
          .sorted(Comparator.comparingDouble((Host h) -> powerOf(h).idleWatts()).thenComparing(Host::name)).toList();
      for (Vm vm : needRoom) {
        for (Host h : off) {
          if (session.fitsOnceOn(vm, h.name())) {
            actions.add(new Action.PowerOnHost("optimize/power-on/" + h.name() + "/" + h.version(), h.name(),
                Cause.of(Origin.OPTIMIZER, s.cycle(), String.format(Locale.ROOT,
                    "%s has no room on any host that is on; waking %s (idle %.0f W, the cheapest that fits)", vm.name(),
                    h.name(), powerOf(h).idleWatts()))));
            return; // one at a time: the next cycle sees it come up
          }
        }
      }
      notes.add(needRoom.size() + " VM(s) need room and no OFF host could give it");
    }

    // ---- helpers ------------------------------------------------------------------------

    Vm vm(String name) {
      return java.util.Objects.requireNonNull(s.vm(name), name);
    }

    /** {@code usedCores} more (or fewer) cores in use on the host at position {@code i}. */
    void addDemand(int i, double usedCores) {
      load[i] += usedCores / cores[i];
      reindex(i);
    }

    /** Puts host {@code i}'s numbers in the indexes as they are now in the session and in {@link #load}. */
    void reindex(int i) {
      if (blocked[i]) {
        if (anyHost != null && occupiedHost != null) {
          anyHost.clear(slot[i]);
          occupiedHost.clear(slot[i]);
        }
        return;
      }
      Resources free = session.free(order[i]);
      freeMemory[i] = free.memoryMib();
      freeCpus[i] = free.cpus();
      if (anyHost == null || occupiedHost == null) {
        return;
      }
      anyHost.put(slot[i], free.memoryMib(), free.cpus(), load[i]);
      if (drainTarget[i]) {
        occupiedHost.put(slot[i], free.memoryMib(), free.cpus(), load[i]);
      } else {
        occupiedHost.clear(slot[i]);
      }
    }

    /** A VM using {@code cores} leaving host {@code from}, at position {@code at}. */
    record Moving(Vm vm, double cores, String from, int at, String why) {}

    /** A VM of a host being drained, using {@code cores}; {@code arrival} when it is only planned to land there. */
    record Guest(Vm vm, double cores, @Nullable Arrival arrival) {}

    /** A VM the overload phase sends, using {@code cores}, planned as action {@code action}. */
    record Arrival(Vm vm, double cores, int action) {}

    /**
     * Published rules: the arrival {@code a}, planned to land on {@code via}, goes on to {@code d}:
     * a second migration, from {@code via}, after the first (its key says which hop it is).
     */
    void sendOn(Arrival a, String via, Destination d, String why) {
      Action first = actions.get(a.action);
      record(a.vm, via, d, why, first.key() + "/then/" + d.host);
    }

    /** Host {@code host}, at position {@code at}, where the VM adds {@code watts}. */
    record Destination(String host, int at, double watts) {}

    /**
     * The destination whose measured power rises least with {@code vm}, among hosts that pass
     * the scheduler's filters and stay at or under {@code upper}, other than {@code excluded} (a
     * position) and blocked hosts; ties to the first name. A linear model adds the same watts, its
     * slope times the VM's share of the cores, on every host of its group.
     */
    @Nullable Destination bestHost(Vm vm, double vmCores, int excluded, boolean occupiedOnly) {
      Destination best = null;
      int bestIndex = Integer.MAX_VALUE;
      for (int g = 0; g + 1 < groupStart.length; g++) {
        int end = groupStart[g + 1];
        double share = vmCores / cores[hostAt[groupStart[g]]];
        // A non-linear group's feasible hosts are all compared: a plain walk visits them at less
        // cost per host than a search of the index for each.
        boolean indexed = groupLinear[g];
        // Charging an empty host its idle power, a linear group's hosts running VMs all add less
        // than its empty ones: they are searched first, the empty ones only when none fits.
        boolean occupiedFirst = chargeIdle && groupLinear[g] && !occupiedOnly;
        for (int pass = occupiedFirst ? 0 : 1; pass < 2; pass++) {
          boolean onlyOccupied = occupiedOnly || pass == 0;
          Destination found = bestInGroup(g, end, share, vm, excluded, onlyOccupied, indexed, best, bestIndex);
          if (found != null && found != best) {
            best = found;
            bestIndex = found.at;
            if (pass == 0) {
              break;
            }
          }
        }
      }
      return best;
    }

    /**
     * The best destination of group {@code g} (slots up to {@code end}) if it beats {@code best}
     * (at position {@code bestIndex}); else {@code best} itself.
     */
    @Nullable Destination bestInGroup(int g, int end, double share, Vm vm, int excluded, boolean occupiedOnly,
        boolean indexed, @Nullable Destination best, int bestIndex) {
      double[] own = null; // the VM's samples, read once when a detector needs them
      // Hosts of a group running no VM add the same watts (load 0): once one of them has been
      // found not better, or taken, no later one can be better (ties go to the first).
      boolean idleDone = false;
      for (int at = next(groupStart[g], end, vm, share, occupiedOnly, indexed); at != DestinationIndex.NONE;
          at = next(at + 1, end, vm, share, occupiedOnly, indexed)) {
        int i = hostAt[at];
        boolean idle = !occupied[i];
        if (idle && idleDone) {
          continue;
        }
        double watts = (groupLinear[g] ? groupSlope[g] * share
            : power[i].wattsAt(Math.min(1, load[i] + share)) - (published ? startWatts[i] : power[i].wattsAt(Math.min(1, load[i]))))
            + (idle && chargeIdle ? power[i].idleWatts() : 0);
        boolean better = best == null || watts < best.watts || (watts == best.watts && i < bestIndex);
        if (groupLinear[g] && !better) {
          break; // every later host of a linear group adds the same watts and sorts after this one
        }
        idleDone |= idle && !better;
        // The busy lookup and the scheduler's filters only for a better host.
        if (!better || i == excluded || planner.isBusy(order[i]) || !session.fits(vm, order[i])
            || (judging && overloadedWith(vm, own == null ? own = ownSamples(vm) : own, share, i))) {
          continue;
        }
        best = new Destination(order[i], i, watts);
        bestIndex = i;
        idleDone |= idle;
        if (groupLinear[g]) {
          break; // the first feasible host of a linear group is the group's best
        }
      }
      return best;
    }

    /**
     * The first slot from {@code from} (before {@code end}) whose host is not blocked, runs VMs
     * if {@code occupiedOnly}, and stays at or under {@code upper} with {@code share} more load;
     * with the index, also with the memory and vCPUs {@code vm} needs free. The caller checks the
     * rest.
     */
    int next(int from, int end, Vm vm, double share, boolean occupiedOnly, boolean indexed) {
      DestinationIndex index = !indexed ? null : occupiedOnly ? occupiedHost : anyHost;
      if (index != null) {
        return index.first(from, end, vm.spec().memoryMib(), vm.spec().cpus(), share, settings.upper());
      }
      long memory = vm.spec().memoryMib();
      int cpus = vm.spec().cpus();
      for (int at = from; at < end; at++) {
        int i = hostAt[at];
        // Memory and vCPUs as the scheduler's filters count them (a little more lenient on CPU
        // rounding): a host without them is skipped before its power is computed.
        if (!blocked[i] && (!occupiedOnly || drainTarget[i]) && !(load[i] + share > settings.upper())
            && freeMemory[i] >= memory && cpus <= freeCpus[i] + 1e-6) {
          return at;
        }
      }
      return DestinationIndex.NONE;
    }

    void move(Vm vm, double vmCores, String from, Destination d, String why) {
      session.assign(vm, d.host);
      addDemand(d.at, vmCores);
      if (judging) {
        arrive(vm, d.at);
      }
      if (published) {
        arrivals.computeIfAbsent(d.at, k -> new ArrayList<>()).add(new Arrival(vm, vmCores, actions.size()));
      }
      record(vm, from, d, why);
    }

    /** Published rules: {@code vm}'s samples join the history of the host at position {@code at}. */
    void arrive(Vm vm, int at) {
      arriving.put(at, withSamples(historyOf(at), ownSamples(vm), vm.spec().cpus() / cores[at]));
    }

    double[] historyOf(int at) {
      double[] h = arriving.get(at);
      return h != null ? h : history(at);
    }

    /**
     * The history the detector reads for the host at position {@code at}, oldest first: as
     * measured; under herd rules, the sum of its VMs' own samples (each × its share of the host,
     * newest aligned with newest), so that a VM that has just left is not in the host's past and a
     * prediction is made from the VMs, not from the host.
     */
    double[] history(int at) {
      if (!herd) {
        return seen[at].cpu().toArray();
      }
      double[] sum = new double[0];
      for (Vm vm : vmsAt.get(at)) {
        VmObservation o = seen[at].vms().get(vm.name());
        if (o == null) {
          o = s.vmObservation(vm.name());
        }
        if (o != null) {
          sum = withSamples(sum, o.cpu().toArray(), vm.spec().cpus() / cores[at]);
        }
      }
      return sum;
    }

    double[] ownSamples(Vm vm) {
      VmObservation o = s.vmObservation(vm.name());
      return o == null ? new double[0] : o.cpu().toArray();
    }

    /**
     * Published rules: would the host at position {@code i} be overloaded, by the policy's
     * detector, with {@code vm} (using {@code share} of it) added? A host running no VM is not
     * tested (CloudSim skips the test on an empty host).
     */
    boolean overloadedWith(Vm vm, double[] own, double share, int i) {
      if (!occupied[i]) {
        return false;
      }
      double[] history = withSamples(historyOf(i), own, vm.spec().cpus() / cores[i]);
      double largest = vm.spec().memoryMib();
      for (Vm other : vmsAt.get(i)) {
        largest = Math.max(largest, other.spec().memoryMib());
      }
      return settings.detector().test(new HostLoad(order[i], load[i] + share, history,
          largest / settings.migrationMibPerSecond(), Math.max(1e-3, interval.toMillis() / 1000.0))).overloaded();
    }

    void record(Vm vm, String from, Destination d, String why) {
      record(vm, from, d, why, "optimize/migrate/" + vm.name() + "/" + vm.version());
    }

    void record(Vm vm, String from, Destination d, String why, String key) {
      receiving[d.at] = true;
      if (!occupied[d.at]) {
        occupied[d.at] = true;
        drainTarget[d.at] = !published;
        reindex(d.at);
      }
      migrations++;
      actions.add(new Action.MigrateVm(key, vm.name(), from, d.host,
          Cause.of(Origin.OPTIMIZER, s.cycle(), String.format(Locale.ROOT, "%s; moving it to %s (+%.1f W there)", why,
              d.host, d.watts))));
    }

    /** VMs of the host at position {@code at} that may move now, in name order. */
    List<VmLoad> movable(int at) {
      List<VmLoad> out = new ArrayList<>();
      for (Vm vm : vmsAt.get(at)) {
        if (vm.state() == VmState.RUNNING && !planner.isBusy(vm.name()) && !cooling(vm)) {
          VmObservation o = s.vmObservation(vm.name());
          Samples cpu = o == null ? null : o.cpu();
          out.add(new VmLoad(vm.name(), vm.spec().cpus(), vm.spec().memoryMib(), cpu == null ? 0 : cpu.last(),
              cpu == null ? new double[0] : cpu.toArray()));
        }
      }
      return out;
    }

    boolean cooling(Vm vm) {
      return vm.stateSince().plus(settings.cooldown()).isAfter(s.now());
    }

    /**
     * CPU in use by {@code vm}, in cores, on the host observed as {@code onHost} (found as
     * {@link Snapshot#vmObservation} finds it).
     */
    double vmLoad(Vm vm, HostObservation onHost) {
      VmObservation o = onHost.vms().get(vm.name());
      if (o == null && vm.migrationTarget() != null) {
        o = s.vmObservation(vm.name());
      }
      return o == null ? 0 : o.cpu().last() * vm.spec().cpus();
    }

    /**
     * Takes {@code vm}'s share out of {@code history} (the host at {@code at}): its own samples,
     * newest aligned with newest, where it was observed; its load now on every sample where not.
     */
    void withoutVm(double[] history, Vm vm, double vmCores, int at) {
      VmObservation o = seen[at].vms().get(vm.name());
      double[] own = o == null ? new double[0] : o.cpu().toArray();
      for (int k = 1; k <= history.length; k++) {
        double share = own.length > 0
            ? (k <= own.length ? own[own.length - k] * vm.spec().cpus() / cores[at] : 0)
            : vmCores / cores[at];
        history[history.length - k] = Math.max(0, history[history.length - k] - share);
      }
    }

    /** What the detector reads about the host at position {@code at}, with its demand now. */
    HostLoad hostLoad(int at) {
      return hostLoad(at, history(at));
    }

    HostLoad hostLoad(int at, double[] history) {
      double largest = 0;
      for (Vm vm : vmsAt.get(at)) {
        largest = Math.max(largest, vm.spec().memoryMib());
      }
      return new HostLoad(order[at], load[at], history,
          largest / settings.migrationMibPerSecond(), Math.max(1e-3, interval.toMillis() / 1000.0));
    }

    boolean usable(Host h) {
      return h.state() == HostState.UP && s.observation(h.name()).answered();
    }

    /**
     * Empty for the last {@code emptySamples} polls, all since its last state change (samples
     * from before it was switched off and on again do not count).
     */
    boolean seenEmpty(Host h, HostObservation o) {
      if (h.stateSince().plus(interval.multipliedBy(settings.emptySamples())).isAfter(s.now())) {
        return false;
      }
      Samples memory = o.memory();
      if (memory.size() < settings.emptySamples()) {
        return false;
      }
      for (int i = memory.size() - settings.emptySamples(); i < memory.size(); i++) {
        if (memory.get(i) > 0) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * {@code history} (oldest first) with {@code own} × {@code scale} added, newest aligned with
   * newest; as long as the longer of the two.
   */
  static double[] withSamples(double[] history, double[] own, double scale) {
    double[] out = new double[Math.max(history.length, own.length)];
    for (int k = 1; k <= out.length; k++) {
      double h = k <= history.length ? history[history.length - k] : 0;
      double o = k <= own.length ? own[own.length - k] * scale : 0;
      out[out.length - k] = h + o;
    }
    return out;
  }

  /** True when the model's 11 points lie on one line (idle/max models, most SPEC tables do not). */
  static boolean isLinear(PowerModel m) {
    List<Double> w = m.watts();
    double step = w.get(1) - w.get(0);
    for (int i = 2; i < w.size(); i++) {
      if (Math.abs(w.get(i) - w.get(i - 1) - step) > 1e-9) {
        return false;
      }
    }
    return true;
  }

  static PowerModel powerOf(Host h) {
    return h.powerModelOrTypical();
  }

}
