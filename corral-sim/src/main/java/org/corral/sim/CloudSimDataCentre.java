package org.corral.sim;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.SortedMap;
import java.util.Collections;
import java.util.function.Function;
import org.corral.model.Resources;
import org.corral.model.host.Host;
import org.corral.model.host.HostCapacity;
import org.corral.model.host.HostState;
import org.corral.model.host.PowerModel;
import org.corral.model.host.PowerSpec;
import org.corral.model.plan.Action;
import org.corral.model.plan.Plan;
import org.corral.model.snapshot.HostMetrics;
import org.corral.model.snapshot.HostObservation;
import org.corral.model.snapshot.Reservation;
import org.corral.model.snapshot.Samples;
import org.corral.model.snapshot.Snapshot;
import org.corral.model.snapshot.VmObservation;
import org.corral.model.vm.DesiredState;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmSpec;
import org.corral.model.vm.VmState;
import org.corral.sim.trace.Trace;
import org.jspecify.annotations.Nullable;

/**
 * The {@code cloudsim} preset (and, with {@code realistic}, the {@code realistic} one on the same
 * hosts and VMs: see the field): the data centre of CloudSim 3.0.3's PlanetLab experiments, quirks
 * included, as shared/reference/cloudsim-3.0.3.md specifies it (section numbers below are that
 * document's). 800 hosts alternating HP ML110 G4 and G5 with their SPECpower tables, four VM
 * types by trace position, a 300 s interval, CPU shares with over-subscription, migrations that
 * take RAM / 62.5 s with 10 % of the VM on the destination and 90 % on the source, sub-interval
 * updates at every migration's end, VMs dropped for good once their demand is zero, and the energy
 * rule that counts nothing for a host whose utilisation was 0 at the start of a step.
 *
 * <p>Corral's units: one Corral core is {@value #MIPS_PER_CORE} MIPS, so a G4 host has 372
 * "cores" and a 2500-MIPS VM 250 vCPUs, and a host's load (VM cores in use over host cores) is
 * exactly CloudSim's utilisation. Memory never constrains after creation (§1.5): hosts declare
 * {@value #HOST_MEMORY_MIB} MiB to the policy.
 */
final class CloudSimDataCentre {
  static final int MIPS_PER_CORE = 10;
  static final long HOST_MEMORY_MIB = 1L << 22;
  /** CloudSim's PlanetLab experiments' host count (§1.1); a synthetic data centre may have more. */
  static final int HOSTS = 800;
  static final double MIGRATION_MIB_PER_SECOND = 62.5;
  static final int HISTORY = 30;
  static final PowerModel G4 = new PowerModel(List.of(86.0, 89.4, 92.6, 96.0, 99.5, 102.0, 106.0, 108.0, 112.0, 114.0, 117.0), 0);
  static final PowerModel G5 = new PowerModel(List.of(93.7, 97.0, 101.0, 105.0, 110.0, 116.0, 121.0, 125.0, 129.0, 133.0, 135.0), 0);
  private static final int[] VM_MIPS = {2500, 2000, 1000, 500};
  private static final int[] VM_RAM = {870, 1740, 1740, 613};
  private static final int HOST_RAM = 4096;
  /** Memory utilisation is not observed in this preset (it never constrains, §1.5). */
  private static final Samples NO_SAMPLES = Samples.empty(1);
  private static final int VMS_PER_HOST_BY_BANDWIDTH = 10;

  /** How the run is driven: with the policy's plans, or none (NPA counts every host flat out). */
  enum Mode { MIGRATE, DVFS, NPA }

  private final Trace trace;
  private final double[][] samples;
  private final Mode mode;
  /**
   * The {@code realistic} preset on the same hosts and VMs: an idle host draws its idle power until
   * the plan switches it off; switching off takes {@value #SHUTDOWN_SECONDS} s and on
   * {@value #BOOT_SECONDS} s, drawing idle power meanwhile; memory always counts (4096 MB a host);
   * VMs asking for nothing stay; energy is counted from 0.
   */
  private final boolean realistic;
  static final double BOOT_SECONDS = 120;
  static final double SHUTDOWN_SECONDS = 30;
  private final HostState[] hostState;
  private final double[] upSince;
  private final Samples[] memoryHistory;
  private final List<double[]> powerEvents = new ArrayList<>(); // {time, host, 1 = up / 0 = off}
  private long powerOffs;
  private double upSecondsBeforeOff;
  private final Ledger ledger;
  private final int n;
  /** How many hosts (800 in CloudSim's set-up). */
  private final int hosts;
  private final double interval;
  // hosts
  private final double[] capacity;
  private final double[] core;
  private final PowerModel[] power;
  private final List<List<Integer>> vmsOf;
  private final List<List<Integer>> incoming;
  private final double[] cached;
  private final Host[] hostRecord;
  private final @Nullable HostObservation[] idle;
  private final String[] hostName;
  // VMs
  private final int[] mips;
  private final int[] ram;
  private final int[] hostOf;
  /** The destination of a VM's last migration in flight, or -1. */
  private final int[] target;
  /** Migrations of a VM in flight: 2 when a plan sends it on from a host it is still moving to (§5.6). */
  private final int[] inFlight;
  /** When each VM last landed on a host (0 for its first). */
  private final double[] landed;
  private final boolean[] removed;
  private final double[] request;
  private final double[] share;
  private final Samples[] history;
  private final @Nullable Vm[] vmRecord;
  /** The VMs' current records by name (those not removed, made so far), copied into each snapshot. */
  private final TreeMap<String, Vm> vmsSeen = new TreeMap<>();
  /** The hosts' records by name as the last snapshot saw them (shared by snapshots, never changed), or null when stale. */
  private @Nullable SortedMap<String, Host> hostsSeen;
  private final String[] vmName;
  private final Map<String, Integer> vmIndex = new java.util.HashMap<>();
  private final Map<String, Integer> hostIndex = new java.util.HashMap<>();
  // run
  private final List<double[]> completions = new ArrayList<>(); // {time, vm, destination}, in scheduling order
  private double last;
  /** The first interval instant: every host writes an entry there (the state before counts as active). */
  private double firstInstant;
  private long migrations;
  private long rejected;
  private double boundJoules;
  private final Bound bound;
  private double maxUtilisation;
  private final List<Interval> intervals = new ArrayList<>();

  /** One interval instant's figures, for plots and progress. */
  record Interval(double time, int activeHosts, double watts, double demandMips, double activeMips, int migrations) {}

  CloudSimDataCentre(Trace trace, Mode mode, boolean realistic) {
    this(trace, mode, realistic, HOSTS);
  }

  /** With {@code hosts} hosts, alternating G4 and G5, in place of CloudSim's 800. */
  CloudSimDataCentre(Trace trace, Mode mode, boolean realistic, int hosts) {
    if (hosts < 1) {
      throw new org.corral.model.InvalidInputException("hosts", "must be at least 1, got " + hosts, "e.g. 800");
    }
    this.hosts = hosts;
    hostState = new HostState[hosts];
    upSince = new double[hosts];
    memoryHistory = new Samples[hosts];
    capacity = new double[hosts];
    core = new double[hosts];
    power = new PowerModel[hosts];
    vmsOf = new ArrayList<>(hosts);
    incoming = new ArrayList<>(hosts);
    cached = new double[hosts];
    hostRecord = new Host[hosts];
    idle = new HostObservation[hosts];
    hostName = new String[hosts];
    this.realistic = realistic;
    this.trace = trace;
    this.samples = trace.utilisation().toArray(double[][]::new);
    this.mode = mode;
    this.n = trace.size();
    this.interval = trace.intervalSeconds();
    this.ledger = new Ledger(hosts, n);
    for (int h = 0; h < hosts; h++) {
      boolean g5 = h % 2 == 1;
      core[h] = g5 ? 2660 : 1860;
      capacity[h] = 2 * core[h];
      power[h] = g5 ? G5 : G4;
      vmsOf.add(new ArrayList<>());
      incoming.add(new ArrayList<>());
      hostName[h] = String.format(java.util.Locale.ROOT, "h%0" + digits(hosts - 1, 4) + "d", h);
      hostIndex.put(hostName[h], h);
      hostState[h] = HostState.UP;
      memoryHistory[h] = Samples.empty(HISTORY);
      hostRecord[h] = hostRecord(h, 0);
    }
    bound = new Bound(capacity, power);
    mips = new int[n];
    ram = new int[n];
    hostOf = new int[n];
    target = new int[n];
    inFlight = new int[n];
    landed = new double[n];
    removed = new boolean[n];
    request = new double[n];
    share = new double[n];
    history = new Samples[n];
    vmRecord = new Vm[n];
    vmName = new String[n];
    int block = (n + 3) / 4; // VM i has type floor(i / ceil(N / 4)) (§1.2)
    for (int v = 0; v < n; v++) {
      int type = v / block;
      mips[v] = VM_MIPS[type];
      ram[v] = VM_RAM[type];
      target[v] = -1;
      history[v] = Samples.empty(HISTORY);
      vmName[v] = String.format(java.util.Locale.ROOT, "vm%0" + digits(n - 1, 5) + "d", v);
      vmIndex.put(vmName[v], v);
    }
  }

  /** Digits of {@code max}, at least {@code min}: names padded so that name order is number order. */
  private static int digits(int max, int min) {
    return Math.max(min, String.valueOf(max).length());
  }

  /** The run's figures (only valid after {@link #run}). */
  Ledger ledger() {
    return ledger;
  }

  long migrations() {
    return migrations;
  }

  /** Plan actions the model refused (a VM not where the plan says, a host unknown). */
  long rejected() {
    return rejected;
  }

  double boundJoules() {
    return boundJoules;
  }

  List<Interval> intervals() {
    return intervals;
  }

  int vmCount() {
    return n;
  }

  /**
   * Runs the day: placement at 0, then every interval instant (300.1, 600.1, … before the end of
   * the trace) an update, a decision by {@code decide} on a snapshot, and the plan's migrations;
   * migration completions in between. Checks the invariants at the end.
   *
   * @param progress called after each interval with the fraction done
   */
  void run(Function<Snapshot, Plan> decide, long seed, java.util.function.DoubleConsumer progress) {
    place();
    double end = (double) trace.samples() * interval;
    long cycle = 0;
    firstInstant = 0.1 + interval;
    for (double t = 0.1 + interval; t < end; t += interval) {
      completeUntil(t);
      if (mode == Mode.NPA) {
        for (int h = 0; h < hosts; h++) {
          double j = power[h].maxWatts() * (t - last);
          ledger.energy(h, j);
          ledger.totalEnergy(j);
        }
      }
      update(t, true);
      int before = (int) migrations;
      if (mode == Mode.MIGRATE) {
        Plan plan = decide.apply(snapshot(++cycle, t, seed));
        for (Action a : plan.actions()) {
          apply(a, t);
        }
      }
      record(t, (int) migrations - before);
      progress.accept(t / end);
    }
    completeUntil(end);
    ledger.close();
    checkInvariants();
  }

  // ---- start-up (§1.8) ----------------------------------------------------------------------

  private void place() {
    double[] full = new double[hosts];
    int[] memory = new int[hosts];
    for (int v = 0; v < n; v++) {
      int best = -1;
      double bestDelta = Double.POSITIVE_INFINITY;
      for (int h = 0; h < hosts; h++) {
        boolean suitable = mips[v] <= core[h] && capacity[h] - full[h] >= mips[v] && memory[h] + ram[v] <= HOST_RAM
            && vmsOf.get(h).size() < VMS_PER_HOST_BY_BANDWIDTH;
        if (!suitable) {
          continue;
        }
        if (mode != Mode.MIGRATE) {
          best = h; // first fit
          break;
        }
        double delta = power[h].wattsAt((full[h] + mips[v]) / capacity[h]) - power[h].wattsAt(0);
        if (delta < bestDelta) {
          best = h;
          bestDelta = delta;
        }
      }
      if (best < 0) {
        throw new org.corral.model.InvalidInputException("trace", "VM " + v + " (" + trace.vms().get(v) + ") finds no host at "
            + "start-up: " + n + " VMs are too many for " + hosts + " hosts", "give fewer VMs (CloudSim aborts the run here too)");
      }
      full[best] += mips[v];
      memory[best] += ram[v];
      vmsOf.get(best).add(v);
      hostOf[v] = best;
    }
  }

  // ---- the update (§2.3) --------------------------------------------------------------------

  /** The utilisation fraction of VM {@code v} at {@code t}: linear between samples (§1.4). */
  double utilisation(int v, double t) {
    double[] d = samples[v];
    int last = d.length; // d[len] = d[len - 1]
    double x = t / interval;
    int a = (int) x; // floor and ceil, t being ≥ 0
    int b = x == a ? a : a + 1;
    double da = d[Math.min(a, last - 1)];
    if (a == b) {
      return da;
    }
    double db = d[Math.min(b, last - 1)];
    return da + (db - da) * (t - interval * a) / interval;
  }

  private void update(double t, boolean instant) {
    double[] before = new double[hosts];
    for (int h = 0; h < hosts; h++) {
      for (int v : vmsOf.get(h)) {
        double u = utilisation(v, t);
        request[v] = u * mips[v];
        if (instant) {
          history[v] = history[v].append(u);
        }
      }
      before[h] = cached[h];
      if (realistic && instant) {
        memoryHistory[h] = memoryHistory[h].append(memoryUsed(h) / (double) HOST_RAM);
      }
      if (cached[h] != 0 || !vmsOf.get(h).isEmpty() || !incoming.get(h).isEmpty() || t <= firstInstant) {
        shares(h, t);
      } // else: empty and already inactive: its entry would say the same, and it draws nothing (§3)
    }
    if (t > last && mode != Mode.NPA) { // NPA counts every host flat out instead (§3)
      double step = 0;
      for (int h = 0; h < hosts; h++) {
        double j = realistic ? realisticEnergy(h, before[h], cached[h], t - last) : energy(power[h], before[h], cached[h], t - last);
        ledger.energy(h, j);
        step += j;
      }
      ledger.totalEnergy(step);
    }
    for (int h = 0; h < hosts; h++) {
      List<Integer> list = vmsOf.get(h);
      for (int i = list.size() - 1; i >= 0; i--) {
        int v = list.get(i);
        if (!realistic && inFlight[v] == 0 && request[v] == 0) {
          list.remove(i); // a VM asking for nothing is "finished": gone for good (§2.3)
          removed[v] = true;
          vmsSeen.remove(vmName[v]);
        }
      }
    }
    last = t;
  }

  /**
   * The energy of one host over a step from utilisation {@code a} to {@code b} (§3): nothing when
   * it starts at 0, else the mean of the two powers times the step.
   */
  static double energy(PowerModel p, double a, double b, double seconds) {
    return a == 0 ? 0 : (p.wattsAt(a) + p.wattsAt(b)) / 2 * seconds;
  }

  /**
   * The realistic preset's energy of host {@code h} over a step: a host that is on draws its
   * power at its utilisation (idle power when idle), one switching on or off its idle power, one
   * that is off its off power.
   */
  private double realisticEnergy(int h, double a, double b, double seconds) {
    return switch (hostState[h]) {
      case UP -> (power[h].wattsAt(a) + power[h].wattsAt(b)) / 2 * seconds;
      case POWERING_ON, POWERING_OFF -> power[h].idleWatts() * seconds;
      default -> power[h].offWatts() * seconds;
    };
  }

  /** Recomputes host {@code h}'s CPU shares, utilisation and history entries at {@code t} (§1.6, §1.7). */
  private void shares(int h, double t) {
    List<Integer> own = vmsOf.get(h);
    List<Integer> in = incoming.get(h);
    double sumQ = 0;
    for (int v : own) {
      sumQ += Math.min(request[v], core[h]);
    }
    for (int v : in) {
      sumQ += 0.1 * Math.min(request[v], core[h]);
    }
    double scale = sumQ <= capacity[h] ? 1 : capacity[h] / sumQ;
    double used = 0;
    double demand = 0;
    for (int v : own) {
      double c = Math.min(request[v], core[h]);
      boolean out = inFlight[v] > 0;
      double f = out ? 0.9 : 1;
      double s = scale == 1 ? c * f : Math.floor(c * f * scale);
      share[v] = s;
      used += out ? s / 0.9 : s;
      demand += request[v];
      ledger.vm(v, t, s, request[v], out);
    }
    for (int v : in) {
      double c = Math.min(request[v], core[h]);
      used += scale == 1 ? c * 0.1 : Math.floor(c * 0.1 * scale);
      demand += request[v];
    }
    double u = used / capacity[h];
    if (u > 1 && u < 1.01) {
      u = 1;
    }
    maxUtilisation = Math.max(maxUtilisation, u);
    cached[h] = u;
    ledger.host(h, t, used, demand);
  }

  // ---- migrations (§4, §2.5) ----------------------------------------------------------------

  private void apply(Action a, double t) {
    switch (a) {
      case Action.MigrateVm m -> {
        Integer v = vmIndex.get(m.vm());
        Integer from = hostIndex.get(m.from());
        Integer to = hostIndex.get(m.to());
        // From where it is, or on from where it is going (a second hop, started at once as in
        // CloudSim; both end at the same instant, in plan order).
        int at = v == null ? -1 : inFlight[v] == 0 ? hostOf[v] : target[v];
        if (v == null || from == null || to == null || removed[v] || at != from || from.equals(to)
            || (realistic && (hostState[to] != HostState.UP || memoryUsed(to) + ram[v] > HOST_RAM))) {
          rejected++;
          return;
        }
        target[v] = to;
        inFlight[v]++;
        incoming.get(to).add(v);
        migrations++;
        shares(to, t);
        shares(from, t);
        completions.add(new double[] {t + ram[v] / MIGRATION_MIB_PER_SECOND, v, to});
      }
      // cloudsim: an idle host already counts as off (§3), power actions change nothing.
      case Action.PowerOffHost p -> {
        Integer h = hostIndex.get(p.host());
        if (realistic) {
          if (h == null || hostState[h] != HostState.UP || !vmsOf.get(h).isEmpty() || !incoming.get(h).isEmpty()) {
            rejected++;
            return;
          }
          powerState(h, HostState.POWERING_OFF, t);
          powerEvents.add(new double[] {t + SHUTDOWN_SECONDS, h, 0});
        }
      }
      case Action.PowerOnHost p -> {
        Integer h = hostIndex.get(p.host());
        if (realistic) {
          if (h == null || hostState[h] != HostState.OFF) {
            rejected++;
            return;
          }
          powerState(h, HostState.POWERING_ON, t);
          powerEvents.add(new double[] {t + BOOT_SECONDS, h, 1});
        }
      }
      default -> rejected++;
    }
  }

  /**
   * Processes the migration completions (and, realistic, the ends of power transitions) before
   * {@code limit}, in time then scheduling order.
   */
  private void completeUntil(double limit) {
    completions.sort(java.util.Comparator.comparingDouble(c -> c[0])); // stable: scheduling order kept
    powerEvents.sort(java.util.Comparator.comparingDouble(c -> c[0]));
    int i = 0;
    int k = 0;
    while (true) {
      double tau = Math.min(i < completions.size() ? completions.get(i)[0] : Double.POSITIVE_INFINITY,
          k < powerEvents.size() ? powerEvents.get(k)[0] : Double.POSITIVE_INFINITY);
      if (!(tau < limit)) {
        break;
      }
      if (tau > last) {
        update(tau, false);
      }
      while (i < completions.size() && completions.get(i)[0] == tau) {
        finish((int) completions.get(i)[1], (int) completions.get(i)[2]);
        i++;
      }
      while (k < powerEvents.size() && powerEvents.get(k)[0] == tau) {
        int h = (int) powerEvents.get(k)[1];
        powerState(h, powerEvents.get(k)[2] == 1 ? HostState.UP : HostState.OFF, tau);
        k++;
      }
      update(tau, false);
    }
    completions.subList(0, i).clear();
    powerEvents.subList(0, k).clear();
  }

  /** Realistic: host {@code h} enters {@code state} at {@code t} (power-offs counted with the time since it came up). */
  private void powerState(int h, HostState state, double t) {
    if (state == HostState.OFF) {
      powerOffs++;
      upSecondsBeforeOff += t - upSince[h];
    } else if (state == HostState.UP) {
      upSince[h] = t;
    }
    hostState[h] = state;
    hostRecord[h] = hostRecord(h, t);
    hostsSeen = null; // the next snapshot's host map is a new one
  }

  /** MB of RAM held on host {@code h} by its VMs and those arriving. */
  private int memoryUsed(int h) {
    int used = 0;
    for (int v : vmsOf.get(h)) {
      used += ram[v];
    }
    for (int v : incoming.get(h)) {
      used += ram[v];
    }
    return used;
  }

  /** Realistic: hosts switched off, and the mean time they had been up before (NaN when none). */
  long powerOffs() {
    return powerOffs;
  }

  double meanUpSecondsBeforeOff() {
    return powerOffs == 0 ? Double.NaN : upSecondsBeforeOff / powerOffs;
  }

  boolean realistic() {
    return realistic;
  }

  private void finish(int v, int to) {
    vmsOf.get(hostOf[v]).remove(Integer.valueOf(v));
    incoming.get(to).remove(Integer.valueOf(v));
    vmsOf.get(to).add(v);
    hostOf[v] = to;
    landed[v] = last; // the completion's instant (its update follows): a cool-down counts from here
    if (--inFlight[v] == 0) {
      target[v] = -1;
    }
    vmRecord[v] = null; // its host changed: a new record at the next snapshot
  }

  // ---- what the policy sees -----------------------------------------------------------------

  private Snapshot snapshot(long cycle, double t, long seed) {
    Instant now = instant(t);
    if (hostsSeen == null) { // the first snapshot, or a host's record changed since the last
      hostsSeen = new TreeMap<>();
      for (int h = 0; h < hosts; h++) {
        hostsSeen.put(hostName[h], hostRecord[h]);
      }
    }
    Map<String, HostObservation> seen = new java.util.HashMap<>(hosts * 2);
    // What the snapshot would otherwise derive from every VM on first use (reservations, VMs by
    // host): built here in the same pass, so the policy's per-host lookups cost one map get.
    Map<String, Reservation> reservations = new java.util.HashMap<>(hosts * 2);
    Map<String, java.util.SortedSet<String>> namesByHost = new java.util.HashMap<>(hosts * 2);
    for (int h = 0; h < hosts; h++) {
      List<Integer> on = vmsOf.get(h);
      if (on.isEmpty() && !realistic) {
        seen.put(hostName[h], idle(h, now));
        continue;
      }
      Map<String, VmObservation> vmObs = new java.util.HashMap<>(on.size() * 2);
      TreeSet<String> names = new TreeSet<>();
      double cpus = 0;
      long memory = 0;
      double[] sum = new double[HISTORY]; // oldest first, the newest in the last slot (§5.1)
      for (int v : on) {
        Samples s = history[v];
        double weight = mips[v] / capacity[h];
        int size = s.size();
        for (int j = 0; j < size; j++) {
          sum[HISTORY - size + j] += s.get(j) * weight;
        }
        vmObs.put(vmName[v], new VmObservation(hostName[h], s, ram[v], now));
        Vm r = vmRecord(v);
        names.add(vmName[v]);
        cpus += r.spec().cpus();
        memory += r.spec().memoryMib();
      }
      if (!on.isEmpty()) {
        reservations.put(hostName[h], new Reservation(new Resources(cpus, memory), on.size()));
        namesByHost.put(hostName[h], Collections.unmodifiableSortedSet(names));
      }
      int from = 0;
      while (from < HISTORY - 1 && sum[from] == 0) {
        from++; // zeros at the oldest end cut; all zero leaves [0]
      }
      Samples cpu = Samples.of(java.util.Arrays.copyOfRange(sum, from, HISTORY), HISTORY);
      seen.put(hostName[h], new HostObservation(now, 1, 0, null, false, cpu, realistic ? memoryHistory[h] : NO_SAMPLES,
          HostMetrics.NONE, vmObs, now));
    }
    // A copy of the VMs kept by name (linear: no comparisons), so the snapshot's map never changes.
    return Snapshot.shared(cycle, now, seed ^ cycle, hostsSeen, new ByName<>(vmsSeen), new TreeMap<>(), new TreeMap<>(), seen,
        new Snapshot.Index(reservations, namesByHost, List.of(), List.of()));
  }

  /**
   * A copy of a map sorted by name (made in linear time, no comparisons) that also finds a key by
   * its hash: the policy looks VMs up by name far more often than it walks them. Never changed
   * after it is made.
   */
  private static final class ByName<V> extends TreeMap<String, V> {
    private final Map<Object, V> lookup;

    ByName(SortedMap<String, V> sorted) {
      super(sorted);
      lookup = new java.util.HashMap<>(sorted);
    }

    @Override
    public @Nullable V get(Object key) {
      return lookup.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
      return lookup.containsKey(key);
    }
  }

  /** VM {@code v}'s spec: its type's MIPS as vCPUs of {@value #MIPS_PER_CORE} MIPS, and its RAM. */
  VmSpec vmSpec(int v) {
    return VmSpec.of(mips[v] / MIPS_PER_CORE, ram[v]);
  }

  String vmName(int v) {
    return vmName[v];
  }

  /**
   * Per VM, in trace order, the host the start-up layout puts it on (what {@link #run} starts from),
   * for another driver of the same day. Call before {@link #run}, once.
   */
  List<String> startHosts() {
    place();
    List<String> names = new ArrayList<>(n);
    for (int v = 0; v < n; v++) {
      names.add(hostName[hostOf[v]]);
    }
    return names;
  }

  /** The hosts as the policy sees them now (at the start: all UP), in position order. */
  List<Host> hostRecords() {
    return List.of(hostRecord);
  }

  /** Host {@code h} as the policy sees it, in its state since {@code since}. */
  private Host hostRecord(int h, double since) {
    return new Host(hostName[h], "sim://cloudsim/" + hostName[h], new HostCapacity((int) capacity[h] / MIPS_PER_CORE,
        MIPS_PER_CORE, realistic ? HOST_RAM : HOST_MEMORY_MIB), Map.of("type", h % 2 == 1 ? "G5" : "G4"),
        realistic ? new PowerSpec("sim://power", null, null) : PowerSpec.NONE, power[h], hostState[h], "simulated",
        instant(since), 1);
  }

  /** An empty host's observation: the same every interval, so made once. */
  private HostObservation idle(int h, Instant now) {
    HostObservation o = idle[h];
    if (o == null) {
      o = new HostObservation(now, 1, 0, null, false, Samples.of(new double[] {0}, HISTORY), NO_SAMPLES, HostMetrics.NONE,
          Map.of(), now);
      idle[h] = o;
    }
    return o;
  }

  private static Instant instant(double seconds) {
    return Instant.EPOCH.plusNanos((long) (seconds * 1e9));
  }

  private Vm vmRecord(int v) {
    Vm r = vmRecord[v];
    if (r == null) {
      r = new Vm(vmName[v], new java.util.UUID(0, v).toString(), vmSpec(v), "sim",
          VmState.RUNNING, DesiredState.RUNNING, hostName[hostOf[v]], null, List.of(), "simulated", Instant.EPOCH,
          instant(landed[v]), 1);
      vmRecord[v] = r;
      vmsSeen.put(vmName[v], r);
    }
    return r;
  }

  // ---- figures per interval and the bound ---------------------------------------------------

  private void record(double t, int started) {
    double demand = 0;
    int active = 0;
    double watts = 0;
    double activeMips = 0;
    for (int h = 0; h < hosts; h++) {
      for (int v : vmsOf.get(h)) {
        demand += request[v];
      }
      boolean on = realistic ? hostState[h] != HostState.OFF : mode == Mode.NPA || cached[h] > 0;
      if (on) {
        active++;
        activeMips += capacity[h];
        watts += mode == Mode.NPA ? power[h].maxWatts() : realistic && hostState[h] != HostState.UP ? power[h].idleWatts()
            : power[h].wattsAt(cached[h]);
      }
    }
    // The full-service bound: the interval's demand served by the most efficient hosts at 100 %,
    // fractionally, with no migration; counted over the span the energy rule counts (from the
    // first instant to the last).
    if (!intervals.isEmpty()) {
      Interval prev = intervals.getLast();
      boundJoules += bound.watts(prev.demandMips()) * (t - prev.time());
    }
    intervals.add(new Interval(t, active, watts, demand, activeMips, started));
  }

  // ---- invariants ---------------------------------------------------------------------------

  private void checkInvariants() {
    List<String> broken = new ArrayList<>();
    if (maxUtilisation > 1 + 1e-9) {
      broken.add("a host ran over capacity (utilisation " + maxUtilisation + ")");
    }
    int[] seenOn = new int[n];
    for (int h = 0; h < hosts; h++) {
      if (realistic && memoryUsed(h) > HOST_RAM) {
        broken.add(hostName[h] + " holds " + memoryUsed(h) + " MB of VMs, more than its " + HOST_RAM);
      }
      if (realistic && hostState[h] != HostState.UP && !vmsOf.get(h).isEmpty()) {
        broken.add(hostName[h] + " runs VMs while " + hostState[h]);
      }
      for (int v : vmsOf.get(h)) {
        seenOn[v]++;
      }
      if (!incoming.get(h).isEmpty()) {
        broken.add(hostName[h] + " still has migrations arriving after the end");
      }
    }
    for (int v = 0; v < n; v++) {
      if (seenOn[v] > 1) {
        broken.add(vmName[v] + " is on " + seenOn[v] + " hosts");
      }
      if (seenOn[v] == 0 && !removed[v]) {
        broken.add(vmName[v] + " is on no host");
      }
    }
    double sum = 0;
    for (int h = 0; h < hosts; h++) {
      sum += ledger.hostJoules(h);
    }
    if (Math.abs(sum - ledger.joules()) > 1e-6 * Math.max(1, ledger.joules())) {
      broken.add("total energy " + ledger.joules() + " J is not the sum of the hosts' " + sum + " J");
    }
    if (!broken.isEmpty()) {
      throw new IllegalStateException("simulation invariants broken: " + String.join("; ", broken));
    }
  }
}
