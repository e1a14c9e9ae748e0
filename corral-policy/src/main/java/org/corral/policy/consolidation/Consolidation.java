package org.corral.policy.consolidation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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

  /**
   * @param scheduler the placement rules destinations must satisfy
   * @param interval  the time between two utilisation samples (the Monitor's period)
   */
  public Consolidation(Scheduler scheduler, ConsolidationSettings settings, Duration interval) {
    this.scheduler = scheduler;
    this.settings = settings;
    this.interval = interval;
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
    /** Overloaded or drained in this pass: takes no VM (by position). */
    final boolean[] blocked;
    final Set<String> overloaded = new HashSet<>();
    final Set<String> destinations = new HashSet<>();
    final Set<String> drained = new HashSet<>();
    final List<Vm> homeless = new ArrayList<>();
    int migrations;
    // The usable hosts in name order, with what bestHost reads for each, built once per pass:
    // bestHost runs for every VM that moves, over every host.
    final String[] order;
    final double[] cores;
    final PowerModel[] power;
    final boolean[] occupied;
    final Map<String, Integer> position = new HashMap<>();
    /**
     * Hosts grouped by (power model, cores), each group in name order. With a linear model the
     * power a VM adds is the same number on every host of a group (its slope times the VM's share
     * of the cores), so the group's first feasible host is its best and the walk stops there;
     * other models are scanned whole. Exact either way.
     */
    final List<int[]> groups = new ArrayList<>();
    final List<Boolean> linearGroup = new ArrayList<>();
    /** Watts per unit of load (a share of the cores) of each group's model, read for linear ones. */
    final List<Double> groupSlope = new ArrayList<>();

    Pass(Snapshot s, Planner planner) {
      this.s = s;
      this.planner = planner;
      this.session = scheduler.session(s, false);
      order = s.hosts().values().stream().filter(this::usable).map(Host::name).sorted().toArray(String[]::new);
      load = new double[order.length];
      blocked = new boolean[order.length];
      cores = new double[order.length];
      power = new PowerModel[order.length];
      occupied = new boolean[order.length];
      for (int i = 0; i < order.length; i++) {
        Host h = host(order[i]);
        cores[i] = h.capacity().cores();
        power[i] = powerOf(h);
        occupied[i] = !s.vmsOn(order[i]).isEmpty();
        position.put(order[i], i);
        double used = 0;
        for (Vm vm : s.vmsOn(order[i])) {
          used += vmLoad(vm);
        }
        load[i] = used / cores[i];
      }
      Map<List<Object>, List<Integer>> byClass = new java.util.LinkedHashMap<>();
      for (int i = 0; i < order.length; i++) {
        byClass.computeIfAbsent(List.of(power[i], cores[i]), k -> new ArrayList<>()).add(i);
      }
      for (Map.Entry<List<Object>, List<Integer>> e : byClass.entrySet()) {
        groups.add(e.getValue().stream().mapToInt(Integer::intValue).toArray());
        PowerModel model = (PowerModel) e.getKey().get(0);
        linearGroup.add(isLinear(model));
        groupSlope.add(model.maxWatts() - model.idleWatts());
      }
    }

    Plan run() {
      relieveOverloaded();
      drainUnderloaded();
      planPower();
      return new Plan(Origin.OPTIMIZER, s.cycle(), actions, notes);
    }

    // ---- 1. overload --------------------------------------------------------------------

    void relieveOverloaded() {
      List<Moving> toMove = new ArrayList<>();
      for (String h : order) {
        Host host = host(h);
        Detection d = settings.detector().test(hostLoad(host, demandOf(h)));
        if (!d.overloaded()) {
          continue;
        }
        overloaded.add(h);
        blocked[pos(h)] = true;
        List<VmLoad> candidates = movable(h);
        long seed = s.seed() ^ h.hashCode();
        while (d.overloaded()) {
          VmLoad chosen = settings.selector().select(candidates, seed++).orElse(null);
          if (chosen == null) {
            notes.add(h + " overloaded (" + d.reason() + ") but has no VM free to move");
            break;
          }
          candidates.remove(chosen);
          Vm vm = vm(chosen.vm());
          session.remove(vm.name());
          addDemand(h, -vmLoad(vm));
          toMove.add(new Moving(vm, h, h + " overloaded: " + d.reason() + "; " + settings.selector().name() + " chose "
              + vm.name()));
          d = settings.detector().test(hostLoad(host, demandOf(h)));
        }
      }
      toMove.sort(Comparator.comparingDouble((Moving m) -> vmLoad(m.vm)).reversed());
      for (Moving m : toMove) {
        if (migrations >= settings.maxMigrations()) {
          notes.add("migration cap (" + settings.maxMigrations() + " a cycle) reached: " + m.vm.name() + " waits");
          stay(m);
          continue;
        }
        Destination d = bestHost(m.vm, Set.of(m.from), false);
        if (d == null) {
          notes.add(m.why + ", but no host that is on can take it");
          stay(m);
          homeless.add(m.vm);
          continue;
        }
        move(m.vm, m.from, d, m.why);
      }
    }

    /** A VM chosen to leave that found no destination: back where it was. */
    void stay(Moving m) {
      session.assign(m.vm, m.from);
      addDemand(m.from, vmLoad(m.vm));
    }

    // ---- 2. underload -------------------------------------------------------------------

    void drainUnderloaded() {
      List<Integer> lightest = new ArrayList<>();
      for (int i = 0; i < order.length; i++) {
        if (load[i] < settings.lower() && !blocked[i] && occupied[i]) {
          lightest.add(i);
        }
      }
      // Least loaded first, ties by name (positions are in name order).
      lightest.sort(Comparator.comparingDouble((Integer i) -> load[i]).thenComparingInt(i -> i));
      List<String> light = lightest.stream().map(i -> order[i]).toList();
      for (String h : light) {
        if (destinations.contains(h)) {
          continue;
        }
        List<Vm> vms = new ArrayList<>(s.vmsOn(h));
        if (vms.size() + migrations > settings.maxMigrations()) {
          notes.add(h + " underloaded but draining it (" + vms.size() + " VMs) would pass the migration cap");
          continue;
        }
        boolean free = true;
        for (Vm vm : vms) {
          free &= vm.state() == VmState.RUNNING && !planner.isBusy(vm.name()) && !cooling(vm);
        }
        if (!free || planner.isBusy(h)) {
          continue; // a VM is busy or just moved: try again next cycle
        }
        vms.sort(Comparator.comparingDouble(this::vmLoad).reversed().thenComparing(Vm::name));
        for (Vm vm : vms) {
          session.remove(vm.name());
        }
        Set<String> excluded = Set.of(h); // and every drained host: blocked
        List<Destination> chosen = new ArrayList<>();
        for (Vm vm : vms) {
          // Only onto hosts already running VMs: emptying one host into another saves nothing.
          Destination d = bestHost(vm, excluded, true);
          if (d == null) {
            break;
          }
          session.assign(vm, d.host);
          addDemand(d.host, vmLoad(vm));
          chosen.add(d);
        }
        PowerModel model = powerOf(host(h));
        double added = chosen.stream().mapToDouble(Destination::watts).sum();
        double saving = model.wattsAt(Math.min(1, demandOf(h))) - model.offWatts() - added;
        if (chosen.size() < vms.size() || saving < settings.minSavingWatts()) {
          // All or nothing: put everything back where it was.
          for (int i = 0; i < chosen.size(); i++) {
            session.unassign(vms.get(i), chosen.get(i).host);
            addDemand(chosen.get(i).host, -vmLoad(vms.get(i)));
          }
          for (Vm vm : vms) {
            session.assign(vm, h);
          }
          notes.add(chosen.size() < vms.size()
              ? h + " underloaded but " + vms.get(chosen.size()).name() + " has nowhere to go: it stays as it is"
              : String.format(Locale.ROOT, "%s underloaded but emptying it would save only %.1f W (< %.0f W): it stays as it is",
                  h, saving, settings.minSavingWatts()));
          continue;
        }
        drained.add(h);
        blocked[pos(h)] = true;
        String why = String.format(Locale.ROOT, "%s underloaded: CPU demand %.0f%% < %.0f%%; emptying it to switch it off "
            + "saves about %.0f W", h, 100 * demandOf(h), 100 * settings.lower(), saving);
        for (int i = 0; i < vms.size(); i++) {
          // Already accounted in the session above.
          record(vms.get(i), h, chosen.get(i), why);
        }
        load[pos(h)] = 0;
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
      int on = 0;
      for (Host h : s.hosts().values()) {
        if (!usable(h)) {
          continue;
        }
        on++;
        if (s.reserved(h.name()).memoryMib() == 0 && s.vmsOn(h.name()).isEmpty() && !destinations.contains(h.name())
            && seenEmpty(h, s.observation(h.name())) && !planner.isBusy(h.name()) && h.power().offOrOn() != null
            && h.power().canPowerOn()) {
          empty.add(h);
        }
      }
      boolean waking = actions.stream().anyMatch(a -> a instanceof Action.PowerOnHost);
      if (!arriving && !waking && emptyOn() < settings.reserveHosts()) {
        wakeForReserve();
      }
      // Least efficient first: the spare room kept on is the cheapest to keep.
      empty.sort(Comparator.comparingDouble((Host h) -> powerOf(h).idleWatts()).reversed().thenComparing(Host::name));
      int keep = Math.max(settings.reserveHosts(), 0);
      for (int i = 0; i < empty.size() - keep; i++) {
        Host h = empty.get(i);
        if (on - 1 < 1) {
          break; // never the last host that is on
        }
        on--;
        actions.add(new Action.PowerOffHost("optimize/power-off/" + h.name() + "/" + h.version(), h.name(),
            Cause.of(Origin.OPTIMIZER, s.cycle(), String.format(Locale.ROOT, "%s empty for %d polls; %d spare host(s) "
                + "stay on; switching it off saves %.0f W", h.name(), settings.emptySamples(), keep, powerOf(h).idleWatts()))));
      }
    }

    /** UP hosts with no VM and none arriving this pass (the spare room that is on). */
    long emptyOn() {
      return java.util.Arrays.stream(order).filter(h -> s.vmsOn(h).isEmpty() && !destinations.contains(h)).count();
    }

    /** The reserve of empty hosts is used up: wake the OFF host with the lowest idle power. */
    void wakeForReserve() {
      s.hosts().values().stream()
          .filter(h -> h.state() == HostState.OFF && h.power().canPowerOn() && !planner.isBusy(h.name()))
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

    /** A host this pass found in the snapshot. */
    Host host(String name) {
      return java.util.Objects.requireNonNull(s.host(name), name);
    }

    Vm vm(String name) {
      return java.util.Objects.requireNonNull(s.vm(name), name);
    }

    double demandOf(String h) {
      Integer i = position.get(h);
      return i == null ? 0 : load[i];
    }

    int pos(String h) {
      return java.util.Objects.requireNonNull(position.get(h), "a usable host");
    }

    /** {@code cores} more (or fewer) cores in use on {@code h}. */
    void addDemand(String h, double usedCores) {
      int i = pos(h);
      load[i] += usedCores / cores[i];
    }

    record Moving(Vm vm, String from, String why) {}

    record Destination(String host, double watts) {}

    /**
     * The destination whose measured power rises least with {@code vm}, among hosts that pass
     * the scheduler's filters and stay at or under {@code upper}; ties to the first name. A linear
     * model adds the same watts, its slope times the VM's share of the cores, on every host of its
     * group, so hosts of two models with the same slope tie exactly.
     */
    @Nullable Destination bestHost(Vm vm, Set<String> excluded, boolean occupiedOnly) {
      Destination best = null;
      int bestIndex = Integer.MAX_VALUE;
      double vmCores = vmLoad(vm);
      for (int g = 0; g < groups.size(); g++) {
        boolean linear = linearGroup.get(g);
        double slope = groupSlope.get(g);
        for (int i : groups.get(g)) {
          String h = order[i];
          if (occupiedOnly && !occupied[i]) {
            continue;
          }
          double before = load[i];
          double share = vmCores / cores[i];
          double after = before + share;
          if (after > settings.upper()) {
            continue;
          }
          double watts = linear ? slope * share : power[i].wattsAt(Math.min(1, after)) - power[i].wattsAt(Math.min(1, before));
          boolean better = best == null || watts < best.watts || (watts == best.watts && i < bestIndex);
          if (linear && !better) {
            break; // every later host of a linear group adds the same watts and sorts after this one
          }
          // Cheap numbers first; the set lookups and the scheduler's filters only for a better host.
          if (!better || blocked[i] || excluded.contains(h) || planner.isBusy(h)
              || !session.fits(vm, h)) {
            continue;
          }
          best = new Destination(h, watts);
          bestIndex = i;
          if (linear) {
            break; // the first feasible host of a linear group is the group's best
          }
        }
      }
      return best;
    }

    void move(Vm vm, String from, Destination d, String why) {
      session.assign(vm, d.host);
      addDemand(d.host, vmLoad(vm));
      record(vm, from, d, why);
    }

    void record(Vm vm, String from, Destination d, String why) {
      destinations.add(d.host);
      occupied[java.util.Objects.requireNonNull(position.get(d.host), "a destination is a usable host")] = true;
      migrations++;
      actions.add(new Action.MigrateVm("optimize/migrate/" + vm.name() + "/" + vm.version(), vm.name(), from, d.host,
          Cause.of(Origin.OPTIMIZER, s.cycle(), String.format(Locale.ROOT, "%s; moving it to %s (+%.1f W there)", why,
              d.host, d.watts))));
    }

    /** VMs of {@code host} that may move now, in name order. */
    List<VmLoad> movable(String host) {
      List<VmLoad> out = new ArrayList<>();
      for (Vm vm : s.vmsOn(host)) {
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

    /** CPU in use by {@code vm}, in cores. */
    double vmLoad(Vm vm) {
      VmObservation o = s.vmObservation(vm.name());
      return o == null ? 0 : o.cpu().last() * vm.spec().cpus();
    }

    HostLoad hostLoad(Host h, double currentDemand) {
      double largest = 0;
      for (Vm vm : s.vmsOn(h.name())) {
        largest = Math.max(largest, vm.spec().memoryMib());
      }
      return new HostLoad(h.name(), currentDemand, s.observation(h.name()).cpu().toArray(),
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
