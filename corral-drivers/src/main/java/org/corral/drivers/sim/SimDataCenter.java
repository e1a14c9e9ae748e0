package org.corral.drivers.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.corral.drivers.DriverException;
import org.corral.drivers.hypervisor.DomainEvent;
import org.corral.model.InvalidInputException;
import org.corral.model.Names;
import org.corral.model.host.HostCapacity;
import org.corral.model.host.PowerModel;
import org.corral.model.time.Clock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated data centre: hosts, their domains and power, workloads, energy and faults. The
 * drivers ({@link SimHypervisorDriver}, {@link SimPowerDriver}, {@link SimGuestExec}) act on it
 * through {@code sim://<name>/<host>} URIs; tests and the lab's operator use the methods here to
 * inject faults and read energy.
 *
 * <p>Thread-safe: one lock guards the whole lab. Stages are completed and events delivered after
 * the lock is released, on the thread that caused them (a caller, or the clock's loop when
 * simulated time passes). With a {@link org.corral.model.time.VirtualClock} everything runs
 * deterministically on the thread that advances it.
 */
public final class SimDataCenter {
  private static final Logger LOG = LoggerFactory.getLogger(SimDataCenter.class);

  private final String name;
  private final Clock clock;
  private final long seed;
  private final SimLatencies latencies;
  private final Object lock = new Object();

  final Map<String, SimHost> hosts = new LinkedHashMap<>();
  final Map<String, WorkloadModel> workloads = new HashMap<>();
  WorkloadModel defaultWorkload = WorkloadModel.constant(0.1);
  final Map<String, Integer> failMigrations = new HashMap<>();
  final List<String> faults = new ArrayList<>();
  final List<PendingOp> pending = new ArrayList<>();
  /** Migrations begun, to derive each failure point from the seed. */
  long migrationsBegun;
  /** Bumped at each capture, so that an older autosave never overwrites a newer one. */
  long revision;

  /** How long a storage lease lasts without renewal (sanlock's host lease); see {@link #setLeaseTime}. */
  Duration leaseTime = Duration.ofSeconds(10);

  private int depth;
  private boolean dirty;
  private final List<Runnable> effects = new ArrayList<>();
  private volatile @Nullable Path autosaveFile;
  private final LabStateFile.Writer writer = new LabStateFile.Writer();

  /**
   * @param name      DNS-label name, the authority of this lab's {@code sim://} URIs
   * @param clock     where simulated time comes from
   * @param seed      root of every random choice the lab makes (where a failing migration fails)
   * @param latencies how long operations take
   */
  public SimDataCenter(String name, Clock clock, long seed, SimLatencies latencies) {
    this.name = Names.require("dataCenter.name", name);
    if (clock == null) {
      throw new InvalidInputException("dataCenter.clock", "is missing", "pass a VirtualClock for tests or a SystemClock");
    }
    if (latencies == null) {
      throw new InvalidInputException("dataCenter.latencies", "is missing", "pass SimLatencies.DEFAULT or SimLatencies.INSTANT");
    }
    this.clock = clock;
    this.seed = seed;
    this.latencies = latencies;
  }

  public String name() {
    return name;
  }

  public Clock clock() {
    return clock;
  }

  public long seed() {
    return seed;
  }

  public SimLatencies latencies() {
    return latencies;
  }

  /**
   * Adds a host. It starts ON (its hypervisor answering) or OFF, with no domains.
   *
   * @throws InvalidInputException for a bad or duplicate name or missing capacity or model
   */
  public SimHost addHost(String hostName, HostCapacity capacity, PowerModel model, boolean poweredOn) {
    Names.require("host.name", hostName);
    if (capacity == null) {
      throw new InvalidInputException("host.capacity", "is missing", "give cores, MHz per core and memory");
    }
    if (model == null) {
      throw new InvalidInputException("host.powerModel", "is missing", "give e.g. PowerModel.linear(100, 250)");
    }
    return mutate(() -> {
      if (hosts.containsKey(hostName)) {
        throw new InvalidInputException("host.name", "'" + hostName + "' already exists in data centre " + name,
            "choose another name");
      }
      SimHost h = new SimHost(this, hostName, capacity, model, poweredOn ? SimPower.ON : SimPower.OFF, nowNanos());
      hosts.put(hostName, h);
      return h;
    });
  }

  /** {@code sim://<data centre>/<host>}. */
  public String uriOf(String host) {
    return SimUri.SCHEME + "://" + name + "/" + host;
  }

  /** The host named {@code hostName}, if this lab has one. */
  public Optional<SimHost> host(String hostName) {
    return read(() -> Optional.ofNullable(hosts.get(hostName)));
  }

  /** Every host, in the order added. */
  public List<SimHost> hosts() {
    return read(() -> List.copyOf(hosts.values()));
  }

  /** Sets the workload of every domain named {@code domainName}, wherever it runs, from now on. */
  public void setWorkload(String domainName, WorkloadModel model) {
    if (domainName == null || domainName.isBlank()) {
      throw new InvalidInputException("domainName", "is missing", "name the domain whose workload this is");
    }
    Objects.requireNonNull(model, "model");
    mutate(() -> {
      accrueAll();
      workloads.put(domainName, model);
      return null;
    });
  }

  /**
   * Plays {@code model} on every domain named {@code domainName} from now on, from its beginning:
   * as {@link #setWorkload}, and the workload clock of those running now restarts at this instant
   * (a trace replayed from a given moment, whenever the domain itself started).
   */
  public void playWorkload(String domainName, WorkloadModel model) {
    setWorkload(domainName, model);
    mutate(() -> {
      long now = nowNanos();
      for (SimHost h : hosts.values()) {
        SimDomain d = h.domains.get(domainName);
        if (d != null && d.phase.usesCpu()) {
          d.origin = now;
        }
      }
      return null;
    });
  }

  /** The workload of domains without one of their own; {@code constant(0.1)} unless set. */
  public void setDefaultWorkload(WorkloadModel model) {
    Objects.requireNonNull(model, "model");
    mutate(() -> {
      accrueAll();
      defaultWorkload = model;
      return null;
    });
  }

  /** The workload that applies to domains named {@code domainName}. */
  public WorkloadModel workload(String domainName) {
    return read(() -> workloadOf(domainName));
  }

  /** Energy drawn by {@code host} since it was added, in joules, up to the clock's now. */
  public double energyJoules(String host) {
    return read(() -> {
      SimHost h = hostOrThrow(host);
      h.accrue(nowNanos(), this::workloadOf);
      return h.joules;
    });
  }

  /** Sum of {@link #energyJoules} over all hosts. */
  public double totalEnergyJoules() {
    return read(() -> {
      accrueAll();
      return hosts.values().stream().mapToDouble(h -> h.joules).sum();
    });
  }

  // ---- faults -------------------------------------------------------------------------------

  /**
   * The host loses power unexpectedly: its hypervisor stops answering (connections report
   * CONNECTION_LOST), its domains and their definitions are gone, operations involving it fail
   * UNREACHABLE. The power driver can switch it back on. No effect on a host that is off.
   */
  public void crashHost(String host) {
    mutate(() -> {
      SimHost h = hostOrThrow(host);
      if (h.power == SimPower.OFF) {
        fault(host + ": crash ignored, host is off");
        return null;
      }
      accrue(h);
      abortOps(h, unreachable(h, "crashed"));
      h.domains.clear();
      h.incomingMib = 0;
      h.power = SimPower.OFF;
      h.crashed = true;
      stopRenewing(h);
      stopAnswering(h);
      fault(host + ": crashed");
      return null;
    });
  }

  /**
   * The guest of {@code domainName} on {@code host} crashes: it stops using CPU and memory, shows
   * CRASHED until it is started again or destroyed, and the host's connections get a CRASHED
   * event. An operation in flight on it fails TRANSIENT.
   *
   * @throws InvalidInputException if the domain is not running or booting on that host
   */
  public void crashDomain(String host, String domainName) {
    mutate(() -> {
      SimHost h = hostOrThrow(host);
      SimDomain d = h.domains.get(domainName);
      if (d == null || !(d.phase.usesCpu() || d.phase == DomainPhase.STARTING)) {
        throw new InvalidInputException("domainName", "'" + domainName + "' is not running on " + host,
            "start it first, or crash a domain that runs there");
      }
      kill(h, d, "the guest crashed");
      fault(host + ": domain " + domainName + " crashed");
      return null;
    });
  }

  /** The domain stops dead (CRASHED): an operation in flight on it fails TRANSIENT. Under the lock. */
  void kill(SimHost h, SimDomain d, String why) {
    accrue(h);
    if (d.op != null) {
      abort(d.op, new DriverException(DriverException.Kind.TRANSIENT, d.op.what + " failed: " + why));
    }
    d.phase = DomainPhase.CRASHED;
    d.cpuNanos = 0;
    d.op = null;
    emit(h, d.name(), DomainEvent.Kind.CRASHED);
  }

  /**
   * The guest of {@code domainName} on {@code host} hangs ({@code true}) or recovers: the domain
   * still runs as far as the hypervisor can tell, but its guest agent answers nothing (no ping, no
   * exec) until it recovers, or the domain is stopped or started again.
   *
   * @throws InvalidInputException if the domain is not running on that host
   */
  public void hangGuest(String host, String domainName, boolean hung) {
    mutate(() -> {
      SimHost h = hostOrThrow(host);
      SimDomain d = h.domains.get(domainName);
      if (d == null || d.phase != DomainPhase.RUNNING) {
        throw new InvalidInputException("domainName", "'" + domainName + "' is not running on " + host,
            "start it first, or hang a domain that runs there");
      }
      d.hung = hung;
      fault(host + ": guest of domain " + domainName + (hung ? " hangs (its agent is silent)" : " answers again"));
      return null;
    });
  }

  /**
   * Cuts ({@code true}) or heals the host's management network. While cut its hypervisor does not
   * answer but its domains keep running (the split-brain case that needs fencing); its BMC stays
   * reachable. Connections opened before the cut stay dead after it heals. Operations in flight
   * on the host still take effect, but their callers see UNREACHABLE; migrations are aborted.
   */
  public void partitionHost(String host, boolean partitioned) {
    mutate(() -> {
      SimHost h = hostOrThrow(host);
      if (h.partitioned == partitioned) {
        return null;
      }
      h.partitioned = partitioned;
      if (partitioned) {
        DriverException lost = unreachable(h, "partitioned");
        for (PendingOp op : List.copyOf(pending)) {
          if (op.involves(h) && !op.viaBmc) {
            if (op.destination != null) {
              abort(op, lost);
            } else {
              after(() -> op.stage.completeExceptionally(lost)); // the host still finishes the work
            }
          }
        }
        stopAnswering(h);
      }
      fault(host + (partitioned ? ": network partitioned" : ": network healed"));
      return null;
    });
  }

  // ---- storage leases ------------------------------------------------------------------------

  /**
   * How long a host's storage leases last once it stops renewing them (10 s unless set). Each
   * running domain's disks are leased by its host (as sanlock or virtlockd would), renewed while
   * the host is on, not crashed and connected to the shared storage. When a host stops renewing
   * (crash, power-off, storage cut), its leases run out after this time: the domains still active
   * there are killed (as sanlock kills what it can no longer protect) and the storage reports the
   * leases EXPIRED, which proves that nothing there writes the disks any more. A management
   * network partition or a dead libvirtd does not stop the renewals.
   */
  public void setLeaseTime(Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new InvalidInputException("lab.leaseTime", "must be a positive duration", "write it like 10s");
    }
    mutate(() -> {
      leaseTime = d;
      return null;
    });
  }

  public Duration leaseTime() {
    return read(() -> leaseTime);
  }

  /**
   * Cuts ({@code true}) or heals the host's path to the shared storage. While cut it cannot renew
   * its leases, and its domains cannot start; a lease time after the cut its active domains are
   * killed and its leases are EXPIRED. Its hypervisor and BMC answer as before.
   */
  public void cutStorage(String host, boolean cut) {
    mutate(() -> {
      SimHost h = hostOrThrow(host);
      if (h.storageCut == cut) {
        return null;
      }
      h.storageCut = cut;
      if (cut) {
        stopRenewing(h);
      } else {
        resumeRenewing(h);
      }
      fault(host + (cut ? ": storage cut" : ": storage reconnected"));
      return null;
    });
  }

  /** What the shared storage says of the leases of {@code host}'s domains. */
  public org.corral.drivers.hypervisor.LeaseStatus leaseStatus(String host) {
    return read(() -> leaseStatusOf(hostOrThrow(host)));
  }

  org.corral.drivers.hypervisor.LeaseStatus leaseStatusOf(SimHost h) {
    return h.leasesExpired ? org.corral.drivers.hypervisor.LeaseStatus.EXPIRED : org.corral.drivers.hypervisor.LeaseStatus.HELD;
  }

  /** The host stops renewing its leases (under the lock); they run out a lease time later unless it renews again. */
  void stopRenewing(SimHost h) {
    if (!h.renewing) {
      return;
    }
    h.renewing = false;
    expireLater(h, nowNanos());
  }

  /** The leases of {@code h}, no longer renewed since {@code at} (epoch nanos), run out a lease time after it. Under the lock. */
  void expireLater(SimHost h, long at) {
    h.renewStoppedAt = at;
    later(Duration.ofNanos(Math.max(0, leaseTime.toNanos() - (nowNanos() - at))), () -> {
      if (h.renewing || h.renewStoppedAt != at || h.leasesExpired) {
        return;
      }
      h.leasesExpired = true;
      List<SimDomain> active = h.domains.values().stream().filter(d -> d.phase.usesCpu() || d.phase == DomainPhase.STARTING).toList();
      for (SimDomain d : active) {
        kill(h, d, "its storage lease expired");
      }
      if (!active.isEmpty() || h.storageCut) {
        fault(h.name() + ": storage leases expired" + (active.isEmpty() ? "" : "; killed " + active.stream().map(SimDomain::name).toList()));
      }
    });
  }

  /** The host renews its leases again, if it can (on, not crashed, connected to storage). Under the lock. */
  void resumeRenewing(SimHost h) {
    if (!h.renewing && h.power == SimPower.ON && !h.crashed && !h.storageCut) {
      h.renewing = true;
      h.leasesExpired = false;
    }
  }

  /**
   * The host's hypervisor daemon (libvirtd) dies: its hypervisor stops answering (connections are
   * lost) while its domains keep running and its BMC and SSH still answer. Restarting the daemon
   * ({@link SimPowerDriver#restartHypervisor}: soft fencing) or booting the host brings it back.
   * No effect on a host that is not on.
   */
  public void stopHypervisor(String host) {
    mutate(() -> {
      SimHost h = hostOrThrow(host);
      if (h.power != SimPower.ON || h.crashed || h.daemonDown) {
        fault(host + ": libvirtd stop ignored, host is " + (h.daemonDown ? "already without it" : h.power));
        return null;
      }
      h.daemonDown = true;
      for (PendingOp op : List.copyOf(pending)) {
        if (op.involves(h) && !op.viaBmc && op.destination != null) {
          abort(op, unreachable(h, "libvirtd is down"));
        }
      }
      stopAnswering(h);
      fault(host + ": libvirtd stopped");
      return null;
    });
  }

  /**
   * The host's hypervisor daemon (libvirtd) is started again from the host itself (by an
   * administrator at its console, or by systemd's {@code Restart=on-failure}), not by Corral: it
   * answers again on new connections, its guests untouched, as after soft fencing
   * ({@link SimPowerDriver#restartHypervisor}) but without needing the management network. No
   * effect when the daemon runs.
   */
  public void startHypervisor(String host) {
    mutate(() -> {
      SimHost h = hostOrThrow(host);
      if (!h.daemonDown) {
        fault(host + ": libvirtd start ignored, it runs");
        return null;
      }
      restartDaemon(h);
      return null;
    });
  }

  /** The daemon runs again (under the lock): a soft fencing or a start by hand. */
  void restartDaemon(SimHost h) {
    if (h.daemonDown) {
      h.daemonDown = false;
      fault(h.name() + ": libvirtd restarted");
    }
  }

  /** Makes the host's BMC answer or not; power operations on it then fail UNREACHABLE. */
  public void setBmcReachable(String host, boolean reachable) {
    mutate(() -> {
      SimHost h = hostOrThrow(host);
      if (h.bmcReachable != reachable) {
        h.bmcReachable = reachable;
        fault(host + (reachable ? ": BMC reachable" : ": BMC unreachable"));
      }
      return null;
    });
  }

  /**
   * The next {@code count} migrations of {@code domainName} fail TRANSIENT part-way (at a point
   * drawn from the seed), leaving the domain running on its source.
   */
  public void failNextMigrations(String domainName, int count) {
    if (count < 0) {
      throw new InvalidInputException("count", "must be ≥ 0, got " + count, "give how many migrations should fail");
    }
    mutate(() -> {
      if (count == 0) {
        failMigrations.remove(domainName);
      } else {
        failMigrations.put(domainName, count);
      }
      fault(domainName + ": next " + count + " migration(s) will fail");
      return null;
    });
  }

  /** Every fault injected and its effect, oldest first, each prefixed with its instant. */
  public List<String> faultLog() {
    return read(() -> List.copyOf(faults));
  }

  // ---- state file ---------------------------------------------------------------------------

  /**
   * Writes the lab to {@code file} as JSON (temporary file, then atomic move). Operations in
   * flight are recorded as the state they started from (a booting domain as SHUTOFF, one being
   * shut down or migrated as RUNNING on its source, a host powering on as OFF, one powering off
   * as ON without running domains): after a restart the controller runs them again, which is
   * safe because every operation is idempotent.
   */
  public void saveTo(Path file) {
    LabStateFile.LabState state = read(() -> LabStateFile.capture(this));
    try {
      writer.write(file, state);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the simulated lab to " + file, e);
    }
  }

  /**
   * Restores a lab saved by {@link #saveTo}. When {@code clock} is past the saved instant, the
   * lab ran on while nobody watched: energy and CPU time accrue over the gap. When the clock is
   * before it (a fresh virtual clock), the lab's times are shifted so that the saved instant is
   * now.
   */
  public static SimDataCenter loadFrom(Path file, Clock clock, SimLatencies latencies) {
    try {
      return LabStateFile.restore(LabStateFile.read(file), clock, latencies);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the simulated lab from " + file, e);
    }
  }

  /** Saves to {@code file} after every change from now on; {@code null} stops it. */
  public void autosave(@Nullable Path file) {
    autosaveFile = file;
    if (file != null) {
      saveTo(file);
    }
  }

  // ---- package-private machinery used by the drivers ---------------------------------------

  long nowNanos() {
    return toNanos(clock.now());
  }

  static long toNanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }

  static Instant toInstant(long nanos) {
    return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }

  WorkloadModel workloadOf(String domain) {
    return workloads.getOrDefault(domain, defaultWorkload);
  }

  void accrue(SimHost h) {
    h.accrue(nowNanos(), this::workloadOf);
  }

  void accrueAll() {
    long now = nowNanos();
    hosts.values().forEach(h -> h.accrue(now, this::workloadOf));
  }

  SimHost hostOrThrow(String host) {
    SimHost h = hosts.get(host);
    if (h == null) {
      throw new InvalidInputException("host", "no host '" + host + "' in data centre " + name,
          "use one of " + hosts.keySet());
    }
    return h;
  }

  /** The host a driver URI names; NOT_FOUND for another data centre or an unknown host. */
  SimHost hostFor(SimUri uri) {
    if (!uri.dc().equals(name)) {
      throw new DriverException(DriverException.Kind.NOT_FOUND,
          "no simulated data centre '" + uri.dc() + "' here (this one is '" + name + "')");
    }
    SimHost h = hosts.get(uri.host());
    if (h == null) {
      throw new DriverException(DriverException.Kind.NOT_FOUND,
          "no host '" + uri.host() + "' in simulated data centre " + name);
    }
    return h;
  }

  DriverException unreachable(SimHost h, String why) {
    return new DriverException(DriverException.Kind.UNREACHABLE,
        "host " + h.name() + " does not answer (simulated: " + why + ")");
  }

  <T> T read(Supplier<T> body) {
    return locked(body, false);
  }

  <T> T mutate(Supplier<T> body) {
    return locked(body, true);
  }

  /** Runs a driver call under the lock; a DriverException thrown by its checks fails the stage. */
  <T> CompletionStage<T> call(Supplier<CompletionStage<T>> body) {
    try {
      return mutate(body);
    } catch (DriverException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Queues {@code effect} (completing a stage, delivering an event) to run once the lock is released. */
  void after(Runnable effect) {
    effects.add(effect);
  }

  /** Runs {@code task} under the lock after {@code delay} of clock time; at once when the delay is zero. */
  Clock.Timer later(Duration delay, Runnable task) {
    if (delay.isZero()) {
      task.run();
      return () -> { };
    }
    return clock.schedule(delay, () -> mutate(() -> {
      task.run();
      return null;
    }));
  }

  PendingOp begin(String what, List<SimHost> involved) {
    PendingOp op = new PendingOp(what, involved);
    pending.add(op);
    return op;
  }

  void succeed(PendingOp op) {
    if (op.finished) {
      return;
    }
    op.finished = true;
    pending.remove(op);
    op.cancelTimers();
    after(() -> op.stage.complete(null));
  }

  void abort(PendingOp op, DriverException why) {
    if (op.finished) {
      return;
    }
    op.finished = true;
    pending.remove(op);
    op.cancelTimers();
    op.onAbort.run();
    after(() -> op.stage.completeExceptionally(why));
  }

  void abortOps(SimHost h, DriverException why) {
    for (PendingOp op : List.copyOf(pending)) {
      if (op.involves(h)) {
        abort(op, why);
      }
    }
  }

  /** The hypervisor stops answering: every open connection to it is lost. */
  void stopAnswering(SimHost h) {
    h.epoch++;
    for (SimHypervisorConnection c : List.copyOf(h.connections)) {
      c.lost();
    }
    h.connections.clear();
  }

  /** Delivers a lifecycle event to every live connection of {@code h}. */
  void emit(SimHost h, String domain, DomainEvent.Kind kind) {
    DomainEvent e = new DomainEvent(uriOf(h.name()), domain, kind);
    for (SimHypervisorConnection c : h.connections) {
      c.deliver(e);
    }
  }

  void fault(String what) {
    faults.add(clock.now() + " " + what);
  }

  private <T> T locked(Supplier<T> body, boolean changes) {
    List<Runnable> toRun = List.of();
    LabStateFile.LabState snapshot = null;
    try {
      synchronized (lock) {
        depth++;
        try {
          return body.get();
        } finally {
          depth--;
          dirty |= changes;
          if (depth == 0) {
            toRun = List.copyOf(effects);
            effects.clear();
            if (dirty && autosaveFile != null) {
              snapshot = LabStateFile.capture(this);
            }
            dirty = false;
          }
        }
      }
    } finally {
      for (Runnable r : toRun) {
        try {
          r.run();
        } catch (RuntimeException e) {
          LOG.warn("a listener of simulated data centre {} failed", name, e);
        }
      }
      Path file = autosaveFile;
      if (snapshot != null && file != null) {
        try {
          writer.write(file, snapshot);
        } catch (IOException e) {
          LOG.warn("cannot autosave simulated data centre {} to {}", name, file, e);
        }
      }
    }
  }
}
