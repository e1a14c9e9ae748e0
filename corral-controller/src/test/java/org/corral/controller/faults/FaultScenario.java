package org.corral.controller.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.corral.controller.ControllerSettings;
import org.corral.controller.command.VmRequest;
import org.corral.controller.testing.LabHarness;
import org.corral.drivers.sim.SimHost;
import org.corral.drivers.sim.SimLatencies;
import org.corral.drivers.sim.SimPower;
import org.corral.model.host.Host;
import org.corral.model.host.HostState;
import org.corral.model.vm.HaLevel;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmState;

/**
 * One seeded fault-injection scenario on the simulated lab, on virtual time: VMs of every HA
 * level on a few hosts, then a random run of faults (host crashes, partitions of one or several
 * hosts, BMC failures, migrations failing midway, VM crashes, controller kill -9 and restart,
 * storage cuts, and hosts cut from network, BMC and storage at once), with the
 * invariants checked after every simulated second. Everything random comes from the seed, so a
 * failing seed replays exactly ({@code -Dcorral.faults.seed=N}).
 *
 * <p>Invariants: no VM runs on two hosts at once; no host Corral holds OFF has a VM Corral
 * believes running; once the faults stop and what can heal has healed, every HA VM runs again
 * within the recovery window (capacity is sized so that it always allows); at the end the store
 * agrees with the simulated world (each VM Corral says RUNNING runs exactly where it says, and
 * every domain running in the lab is such a VM).
 */
public final class FaultScenario {
  /** Seconds after the last fault (and the heal) within which every HA VM must run again. */
  public static final int RECOVERY_WINDOW_S = 180;
  private static final int HOSTS = 5;
  private static final int VMS = 8;
  /** At most this many hosts are lost for good (crashed): the rest hold every VM (8 × 4 GiB ≤ 3 × 32 GiB). */
  private static final int MAX_CRASHES = 2;

  private final long seed;
  private final ControllerSettings settings;
  private final SplittableRandom rnd;
  private final List<String> log = new ArrayList<>();
  private LabHarness lab;
  private int crashes;
  /** Crash instant → the HA VMs that ran on the crashed host (for the timing figures). */
  private final List<Crash> crashTimes = new ArrayList<>();

  /** A host crash and the HA VMs it took down, with when each booted again elsewhere (null while not yet). */
  public record Crash(String host, Instant at, Map<String, Instant> booted) {}

  /**
   * What a scenario found: the first broken invariant (null when none), the crashes it timed, and
   * how many VMs live-migrated back off a reserved spare ({@code spare-return/...} done), and how
   * many VMs still held room on a spare at the end.
   */
  public record Result(long seed, String violation, List<Crash> crashes, List<String> log, int spareReturns, int leftOnSpares) {
    public boolean ok() {
      return violation == null;
    }
  }

  private final boolean crashOnly;

  /** A scenario of mixed faults. */
  public FaultScenario(long seed, ControllerSettings settings) {
    this(seed, settings, false);
  }

  /**
   * @param crashOnly one host crash at a random moment and nothing else (the timing benchmark:
   *                  from the crash to all its HA VMs booting elsewhere, fencing included)
   */
  public FaultScenario(long seed, ControllerSettings settings, boolean crashOnly) {
    this.seed = seed;
    this.settings = settings;
    this.rnd = new SplittableRandom(seed);
    this.crashOnly = crashOnly;
  }

  public Result run() {
    try {
      setUp();
      int steps = 30 + rnd.nextInt(60);
      int crashAt = rnd.nextInt(steps);
      for (int t = 0; t < steps; t++) {
        if (crashOnly ? t == crashAt : rnd.nextInt(10) == 0) {
          inject();
        }
        second();
      }
      healWhatCanHeal();
      // Converged: every HA VM runs, and the store agrees with the lab (a crash just before the
      // heal may not even be detected yet, so "all running" alone is not the end).
      for (int t = 0; t < RECOVERY_WINDOW_S && !(allHaVmsRun() && disagreement() == null); t++) {
        second();
      }
      if (!allHaVmsRun()) {
        throw new Violation("HA VMs not running " + RECOVERY_WINDOW_S + " s after the faults stopped: " + haVmsNotRunning());
      }
      // And it stays so. A live migration under way at the end (a VM returning off a reserved
      // spare once its host rejoined) is let finish first: the store is compared with the lab
      // when no VM is between two hosts.
      for (int t = 0; t < 5 || (migrating() && t < RECOVERY_WINDOW_S); t++) {
        second();
      }
      String d = disagreement();
      if (d != null) {
        throw new Violation(d);
      }
      if (!settings.scheduler().spares().isEmpty()) {
        // With reserved spares: the VMs recovered there go back once their host rejoins (reboot
        // fencing) or room is found elsewhere; give them the recovery window, then compare again.
        for (int t = 0; t < RECOVERY_WINDOW_S && (leftOnSpares() > 0 || migrating()); t++) {
          second();
        }
        d = disagreement();
        if (d != null) {
          throw new Violation(d);
        }
      }
      return new Result(seed, null, crashTimes, log, spareReturns(), leftOnSpares());
    } catch (Violation v) {
      if (Boolean.getBoolean("corral.faults.journal")) {
        log.add("journal:\n" + lab.journalText());
      }
      return new Result(seed, v.getMessage(), crashTimes, log, spareReturns(), leftOnSpares());
    } finally {
      if (lab != null && lab.controller != null) {
        lab.kill();
      }
    }
  }

  private void setUp() {
    lab = new LabHarness(HOSTS, SimLatencies.DEFAULT, settings);
    lab.startWithInventory();
    HaLevel[] levels = HaLevel.values();
    for (int i = 1; i <= VMS; i++) {
      HaLevel ha = i <= 6 ? levels[i % 3] : HaLevel.NONE; // HIGH, MEDIUM, LOW twice, then NONE twice
      lab.cmd().createVm(new VmRequest("vm" + i, 1, 4096L, null, null, null, null, null, null, null, ha, null, null, null, null), "t");
    }
    lab.until("all running", () -> lab.controller.state().vms().stream().allMatch(v -> v.state() == VmState.RUNNING),
        Duration.ofMinutes(2));
    lab.run(Duration.ofMillis(rnd.nextInt(1000))); // faults fall anywhere between two polls
  }

  /** One simulated second, then the invariants that must hold at every instant. */
  private void second() {
    lab.run(Duration.ofSeconds(1));
    noVmRunsTwice();
    noOffHostHoldsARunningVm();
    timeRecoveries();
  }

  private void inject() {
    List<SimHost> hosts = lab.dc.hosts();
    SimHost h = hosts.get(rnd.nextInt(hosts.size()));
    if (crashOnly) { // the host with the most VMs: the crash to time
      h = hosts.stream().max(java.util.Comparator.comparingInt((SimHost x) -> x.activeDomainNames().size())).orElseThrow();
    }
    int kind = crashOnly ? 0 : rnd.nextInt(10);
    switch (kind) {
      case 0 -> {
        if (crashes < MAX_CRASHES && h.power() == SimPower.ON && !h.crashed()) {
          crashes++;
          note("crash " + h.name());
          Map<String, Instant> lost = new HashMap<>();
          for (Vm vm : lab.controller.state().vmsOn(h.name())) {
            if (vm.spec().ha().restarted() && vm.state() == VmState.RUNNING) {
              lost.put(vm.name(), null);
            }
          }
          lab.dc.crashHost(h.name());
          crashTimes.add(new Crash(h.name(), lab.clock.now(), lost));
        }
      }
      case 1 -> {
        note("partition " + h.name());
        lab.dc.partitionHost(h.name(), true);
      }
      case 2 -> {
        note("partition heals " + h.name());
        lab.dc.partitionHost(h.name(), false);
      }
      case 3 -> {
        boolean on = rnd.nextBoolean();
        note("BMC " + (on ? "reachable " : "unreachable ") + h.name());
        lab.dc.setBmcReachable(h.name(), on);
      }
      case 4 -> {
        List<Vm> running = lab.controller.state().vms().stream().filter(v -> v.state() == VmState.RUNNING).toList();
        List<Host> up = lab.controller.state().hosts().stream().filter(x -> x.state() == HostState.UP).toList();
        if (!running.isEmpty() && up.size() > 1) {
          Vm vm = running.get(rnd.nextInt(running.size()));
          Host to = up.get(rnd.nextInt(up.size()));
          if (!to.name().equals(vm.host())) {
            note("migration of " + vm.name() + " to " + to.name() + " fails midway");
            lab.dc.failNextMigrations(vm.name(), 1);
            try {
              lab.cmd().migrateVm(vm.name(), to.name(), "faults");
            } catch (RuntimeException refused) {
              note("  refused: " + refused.getMessage());
            }
          }
        }
      }
      case 6 -> {
        List<String> running = h.activeDomainNames();
        if (!running.isEmpty() && h.answers()) {
          String d = running.get(rnd.nextInt(running.size()));
          note("VM " + d + " crashes on " + h.name());
          try {
            lab.dc.crashDomain(h.name(), d);
          } catch (RuntimeException notRunning) {
            note("  not running: " + notRunning.getMessage());
          }
        }
      }
      case 8 -> {
        // cut from the shared storage: its leases run out and its VMs are killed (as sanlock would)
        note("storage cut " + h.name());
        lab.dc.cutStorage(h.name(), true);
      }
      case 9 -> {
        // cut from everything, BMC included: it cannot be fenced, and its VMs restart elsewhere only
        // once the storage reports its leases expired
        note("cut from network, BMC and storage " + h.name());
        lab.dc.setBmcReachable(h.name(), false);
        lab.dc.partitionHost(h.name(), true);
        lab.dc.cutStorage(h.name(), true);
      }
      case 5 -> {
        note("controller kill -9 and restart");
        lab.kill();
        lab.start(lab.store);
      }
      default -> {
        // a partition of several hosts at once (a switch fails)
        for (SimHost x : hosts) {
          if (rnd.nextInt(3) == 0) {
            note("partition " + x.name() + " (switch)");
            lab.dc.partitionHost(x.name(), true);
          }
        }
      }
    }
  }

  /** Partitions heal, BMCs answer and storage comes back; crashed hosts stay crashed (fenced, for an administrator). */
  private void healWhatCanHeal() {
    note("heal partitions, BMCs and storage");
    for (SimHost h : lab.dc.hosts()) {
      lab.dc.partitionHost(h.name(), false);
      lab.dc.setBmcReachable(h.name(), true);
      lab.dc.cutStorage(h.name(), false);
    }
  }

  private void noVmRunsTwice() {
    Map<String, String> where = new HashMap<>();
    for (SimHost h : lab.dc.hosts()) {
      for (String d : h.activeDomainNames()) {
        String other = where.put(d, h.name());
        if (other != null) {
          throw new Violation("VM " + d + " runs on " + other + " and " + h.name() + " at " + lab.clock.now());
        }
      }
    }
  }

  private void noOffHostHoldsARunningVm() {
    for (Host h : lab.controller.state().hosts()) {
      if (h.state() == HostState.OFF) {
        for (Vm vm : lab.controller.state().vmsOn(h.name())) {
          if (vm.state() == VmState.RUNNING) {
            throw new Violation("host " + h.name() + " is OFF with VM " + vm.name() + " RUNNING at " + lab.clock.now());
          }
        }
      }
    }
  }

  private void timeRecoveries() {
    for (Crash c : crashTimes) {
      for (Map.Entry<String, Instant> e : c.booted().entrySet()) {
        if (e.getValue() == null) {
          Vm vm = lab.controller.state().vm(e.getKey()).orElse(null);
          if (vm != null && !c.host().equals(vm.host()) && (vm.state() == VmState.BOOTING || vm.state() == VmState.RUNNING)) {
            e.setValue(lab.clock.now());
          }
        }
      }
    }
  }

  private boolean allHaVmsRun() {
    return haVmsNotRunning().isEmpty();
  }

  private List<String> haVmsNotRunning() {
    List<String> out = new ArrayList<>();
    for (Vm vm : lab.controller.state().vms()) {
      if (vm.spec().ha().restarted() && vm.state() != VmState.RUNNING) {
        out.add(vm.name() + " " + vm.state() + " on " + vm.host() + " (" + vm.stateReason() + ")");
      }
    }
    return out;
  }

  /** Null when the store agrees with the lab; else the first difference. */
  private String disagreement() {
    Map<String, String> active = new HashMap<>();
    for (SimHost h : lab.dc.hosts()) {
      h.activeDomainNames().forEach(d -> active.put(d, h.name()));
    }
    for (Vm vm : lab.controller.state().vms()) {
      if (vm.state() == VmState.RUNNING && !vm.host().equals(active.get(vm.name()))) {
        return "store says " + vm.name() + " RUNNING on " + vm.host() + "; the lab runs it on " + active.get(vm.name());
      }
      if (vm.state() != VmState.RUNNING && active.containsKey(vm.name())) {
        return "store says " + vm.name() + " " + vm.state() + "; the lab runs it on " + active.get(vm.name());
      }
    }
    for (String d : active.keySet()) {
      if (lab.controller.state().vm(d).isEmpty()) {
        return "the lab runs " + d + ", which Corral does not know";
      }
    }
    return null;
  }

  private boolean migrating() {
    return lab.controller.state().vms().stream().anyMatch(v -> v.state() == VmState.MIGRATING);
  }

  private int leftOnSpares() {
    int n = 0;
    for (String spare : settings.scheduler().spares()) {
      n += (int) lab.controller.state().vmsOn(spare).stream().filter(v -> v.state().reservesHost()).count();
    }
    return n;
  }

  private int spareReturns() {
    return (int) lab.journal().stream().filter(e -> e.kind() == org.corral.model.journal.EntryKind.ACTION_SUCCEEDED
        && e.actionKey() != null && e.actionKey().startsWith(org.corral.policy.recovery.Recovery.SPARE_RETURN)).count();
  }

  private void note(String what) {
    log.add(lab.clock.now() + " " + what);
  }

  /** A broken invariant: the scenario stops there. */
  static final class Violation extends RuntimeException {
    Violation(String message) {
      super(message, null, false, false);
    }
  }

}
