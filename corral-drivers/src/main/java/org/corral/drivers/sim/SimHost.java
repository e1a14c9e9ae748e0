package org.corral.drivers.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import org.corral.model.host.HostCapacity;
import org.corral.model.host.PowerModel;
import org.jspecify.annotations.Nullable;

/**
 * One simulated physical host. The public methods are read-only views taken under the data
 * centre's lock; everything that changes a host goes through {@link SimDataCenter} or the drivers.
 */
public final class SimHost {
  private final SimDataCenter dc;
  private final String name;
  private final HostCapacity capacity;
  private final PowerModel powerModel;

  SimPower power;
  boolean crashed;
  boolean partitioned;
  boolean bmcReachable = true;
  /** Cut from the shared storage ({@link SimDataCenter#cutStorage}): it cannot renew its leases. */
  boolean storageCut;
  /** It renews its storage leases now: on, not crashed, connected to storage. */
  boolean renewing;
  /** When it last stopped renewing (epoch nanos); meaningful while not {@link #renewing}. */
  long renewStoppedAt;
  /** Its leases ran out (a lease time after it stopped renewing): its domains were killed, others may take them. */
  boolean leasesExpired;
  /** Its hypervisor daemon (libvirtd) has stopped; the guests run on. Cleared by a restart or a boot. */
  boolean daemonDown;
  /** Bumped whenever the hypervisor stops answering: connections opened before are dead. */
  long epoch;
  final Map<String, SimDomain> domains = new TreeMap<>();
  /** Memory held for incoming migrations. */
  long incomingMib;
  /** The pending power operation, or null. */
  @Nullable PendingOp powerOp;
  final List<SimHypervisorConnection> connections = new ArrayList<>();

  /** Epoch nanos up to which energy and CPU time have been accounted. */
  long accountedUntil;
  double joules;
  /** Busy core-nanoseconds since the host last powered on (like /proc/stat). */
  double busyCoreNanos;

  SimHost(SimDataCenter dc, String name, HostCapacity capacity, PowerModel powerModel, SimPower power, long now) {
    this.dc = dc;
    this.name = name;
    this.capacity = capacity;
    this.powerModel = powerModel;
    this.power = power;
    this.accountedUntil = now;
    this.renewing = power == SimPower.ON;
    this.leasesExpired = !renewing;
  }

  public String name() {
    return name;
  }

  /** {@code sim://<dc>/<host>}, the URI of this host's hypervisor and power control. */
  public String uri() {
    return dc.uriOf(name);
  }

  public HostCapacity capacity() {
    return capacity;
  }

  public PowerModel powerModel() {
    return powerModel;
  }

  /** {@link #powerOp}, for a host powering on or off: only a pending power operation does that. Under the lock. */
  PendingOp powerOpInFlight() {
    return Objects.requireNonNull(powerOp, () -> name + " is " + power + " with no power operation in flight");
  }

  /** The chassis power state, transitions included. */
  public SimPower power() {
    return dc.read(() -> power);
  }

  /** True while it is cut from the shared storage. */
  public boolean storageCut() {
    return dc.read(() -> storageCut);
  }

  /** True while its hypervisor daemon is down ({@link SimDataCenter#stopHypervisor}). */
  public boolean daemonDown() {
    return dc.read(() -> daemonDown);
  }

  /** True when the host's hypervisor answers: powered on, not crashed, not partitioned, its daemon running. */
  public boolean answers() {
    return dc.read(this::answering);
  }

  /** True from a {@link SimDataCenter#crashHost crash} until the host is powered on again. */
  public boolean crashed() {
    return dc.read(() -> crashed);
  }

  /** True while its management network is cut ({@link SimDataCenter#partitionHost}). */
  public boolean partitioned() {
    return dc.read(() -> partitioned);
  }

  /** False while its BMC is made unreachable ({@link SimDataCenter#setBmcReachable}). */
  public boolean bmcReachable() {
    return dc.read(() -> bmcReachable);
  }

  /** Names of the domains defined here, in name order. */
  public List<String> domainNames() {
    return dc.read(() -> List.copyOf(domains.keySet()));
  }

  /**
   * The cloud-init user data domain {@code name} is defined with here (what the libvirt driver
   * writes to its NoCloud seed ISO), or empty: no such domain, or none given.
   */
  public java.util.Optional<String> userData(String name) {
    return dc.read(() -> {
      SimDomain d = domains.get(name);
      return java.util.Optional.ofNullable(d == null ? null : d.spec.userData());
    });
  }

  /** Names of the domains running (or booting) here: what would write their disks. */
  public List<String> activeDomainNames() {
    return dc.read(() -> domains.values().stream().filter(d -> d.phase.usesCpu() || d.phase == DomainPhase.STARTING)
        .map(SimDomain::name).sorted().toList());
  }

  /** Memory not held by active, starting or incoming domains. */
  public long freeMemoryMib() {
    return dc.read(this::freeMib);
  }

  boolean answering() {
    return power == SimPower.ON && !crashed && !partitioned && !daemonDown;
  }

  long freeMib() {
    long used = incomingMib;
    for (SimDomain d : domains.values()) {
      used += d.memoryMib();
    }
    return capacity.memoryMib() - used;
  }

  /** Accounts energy and CPU time up to {@code now}, under the state that held since the last call. */
  void accrue(long now, Function<String, WorkloadModel> workloads) {
    long from = accountedUntil;
    if (now <= from) {
      return;
    }
    accountedUntil = now;
    double seconds = (now - from) / 1e9;
    switch (power) {
      case OFF -> joules += powerModel.offWatts() * seconds;
      case POWERING_ON, POWERING_OFF -> joules += powerModel.idleWatts() * seconds;
      case ON -> {
        List<SimDomain> busy = new ArrayList<>();
        List<LoadIntegral.Running> running = new ArrayList<>();
        for (SimDomain d : domains.values()) {
          if (d.phase.usesCpu()) {
            busy.add(d);
            running.add(new LoadIntegral.Running(workloads.apply(d.name()), d.origin, d.live.vcpus()));
          }
        }
        LoadIntegral.Result r = LoadIntegral.integrate(running, capacity.cores(), powerModel, from, now);
        joules += r.joules();
        busyCoreNanos += r.busyCoreNanos();
        for (int i = 0; i < busy.size(); i++) {
          busy.get(i).cpuNanos += r.cpuNanos()[i];
        }
      }
    }
  }

  @Override
  public String toString() {
    return "SimHost[" + name + "]";
  }
}
