package org.corral.model.snapshot;

import org.jspecify.annotations.Nullable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.corral.model.Resources;
import org.corral.model.host.Host;
import org.corral.model.image.Image;
import org.corral.model.network.Network;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmState;

/**
 * An immutable view of the system at one instant: every decision is a function of a snapshot.
 * Maps are sorted by name so that iteration order, and therefore every decision, is
 * deterministic. It holds what is recorded (hosts, VMs, networks, images) and what was observed
 * (host and VM observations: liveness inputs and utilisation histories); judgements about them
 * are made by policies.
 *
 * <p>Taking one is cheap: {@link #shared} keeps the caller's immutable (persistent) maps as they
 * are, so consecutive snapshots share everything that did not change. The reservations per host,
 * the VMs on each host and the pending VMs come from an {@link Index} the owner of the maps keeps
 * up to date (the controller's state), so a snapshot costs no pass over every VM; without one
 * (tests, fixtures) they are derived on first use, once per snapshot (O(VMs)).
 *
 * @see #cycle() the number of the loop cycle that took it (journaled with the plan)
 * @see #now()   the injected clock's time when it was taken
 * @see #seed()  the seed for any random choice made on this snapshot
 */
public final class Snapshot {
  private final long cycle;
  private final Instant now;
  private final long seed;
  private final SortedMap<String, Host> hosts;
  private final SortedMap<String, Vm> vms;
  private final SortedMap<String, Network> networks;
  private final SortedMap<String, Image> images;
  private final Map<String, HostObservation> hostObservations;
  /** The last check of each service inside a VM, by {@code vm/service} (soft state; empty unless given). */
  private final Map<String, ServiceObservation> serviceObservations;
  private final @Nullable Index index;
  private final Map<String, AgentObservation> agents;
  private volatile @Nullable Derived derived;

  /**
   * What is derived from the VMs, kept by the owner of the maps as they change (immutable values):
   *
   * @param reservations   per host, what its VMs (and those migrating to it) hold; hosts holding nothing may be absent
   * @param vmNamesByHost  per host, the names of the VMs whose host it is, sorted
   * @param pending        names of the PENDING VMs, in any order
   * @param grouped        names of the VMs with an affinity or anti-affinity group, in any order
   */
  public record Index(Map<String, Reservation> reservations, Map<String, ? extends java.util.SortedSet<String>> vmNamesByHost,
      java.util.Collection<String> pending, java.util.Collection<String> grouped) {}

  /** A snapshot over copies of the given maps (tests, fixtures): safe with any maps. */
  public Snapshot(long cycle, Instant now, long seed, Map<String, Host> hosts, Map<String, Vm> vms,
      Map<String, Network> networks, Map<String, Image> images, Map<String, HostObservation> hostObservations) {
    this(cycle, now, seed, sorted(hosts), sorted(vms), sorted(networks), sorted(images), Map.copyOf(hostObservations), Map.of(),
        null, NO_COPY);
  }

  private Snapshot(long cycle, Instant now, long seed, SortedMap<String, Host> hosts, SortedMap<String, Vm> vms,
      SortedMap<String, Network> networks, SortedMap<String, Image> images, Map<String, HostObservation> hostObservations,
      Map<String, ServiceObservation> serviceObservations, @Nullable Index index, NoCopy marker) {
    this.cycle = cycle;
    this.now = now;
    this.seed = seed;
    this.hosts = hosts;
    this.vms = vms;
    this.networks = networks;
    this.images = images;
    this.hostObservations = hostObservations;
    this.serviceObservations = serviceObservations;
    this.index = index;
    this.agents = Map.of();
  }

  /** {@code s} with the guest-agent observations {@code agents} (an immutable map). */
  private Snapshot(Snapshot s, Map<String, AgentObservation> agents) {
    this.cycle = s.cycle;
    this.now = s.now;
    this.seed = s.seed;
    this.hosts = s.hosts;
    this.vms = s.vms;
    this.networks = s.networks;
    this.images = s.images;
    this.hostObservations = s.hostObservations;
    this.serviceObservations = s.serviceObservations;
    this.index = s.index;
    this.derived = s.derived;
    this.agents = agents;
  }

  /**
   * This snapshot with what the guest-agent heartbeats observed, by VM name (the heartbeats are
   * kept apart from the state the snapshot is taken of; the map must not change afterwards).
   */
  public Snapshot withAgents(Map<String, AgentObservation> observed) {
    return new Snapshot(this, Collections.unmodifiableMap(observed));
  }

  /** What the guest-agent heartbeats observed of {@code vm} in its current run, or null when it is not watched. */
  public @Nullable AgentObservation agent(String vm) {
    return agents.get(vm);
  }

  /**
   * A snapshot over maps that never change (persistent maps): nothing is copied. The caller
   * guarantees immutability; the sorted maps must be ordered by name.
   */
  public static Snapshot shared(long cycle, Instant now, long seed, SortedMap<String, Host> hosts, SortedMap<String, Vm> vms,
      SortedMap<String, Network> networks, SortedMap<String, Image> images, Map<String, HostObservation> hostObservations) {
    return new Snapshot(cycle, now, seed, Collections.unmodifiableSortedMap(hosts), Collections.unmodifiableSortedMap(vms),
        Collections.unmodifiableSortedMap(networks), Collections.unmodifiableSortedMap(images),
        Collections.unmodifiableMap(hostObservations), Map.of(), null, NO_COPY);
  }

  /** The same, with the derived data kept by the caller ({@link Index}): no pass over every VM. */
  public static Snapshot shared(long cycle, Instant now, long seed, SortedMap<String, Host> hosts, SortedMap<String, Vm> vms,
      SortedMap<String, Network> networks, SortedMap<String, Image> images, Map<String, HostObservation> hostObservations,
      Index index) {
    return new Snapshot(cycle, now, seed, Collections.unmodifiableSortedMap(hosts), Collections.unmodifiableSortedMap(vms),
        Collections.unmodifiableSortedMap(networks), Collections.unmodifiableSortedMap(images),
        Collections.unmodifiableMap(hostObservations), Map.of(), index, NO_COPY);
  }

  /**
   * The same snapshot with the last check of each service inside the VMs, keyed by
   * {@link #serviceKey}: nothing else is copied.
   */
  public Snapshot withServiceObservations(Map<String, ServiceObservation> byKey) {
    return new Snapshot(cycle, now, seed, hosts, vms, networks, images, hostObservations, Map.copyOf(byKey), index, NO_COPY);
  }

  /** The key of a service's observation: {@code vm/service}. */
  public static String serviceKey(String vm, String service) {
    return vm + "/" + service;
  }

  /** The last check of {@code service} inside {@code vm}, or null when it has not been checked. */
  public @Nullable ServiceObservation serviceObservation(String vm, String service) {
    return serviceObservations.get(serviceKey(vm, service));
  }

  /** Tells the private constructor apart from the public, copying one. */
  private enum NoCopy { INSTANCE }

  private static final NoCopy NO_COPY = NoCopy.INSTANCE;

  private static <V> SortedMap<String, V> sorted(Map<String, V> m) {
    return Collections.unmodifiableSortedMap(new TreeMap<>(m));
  }

  public long cycle() { return cycle; }

  public Instant now() { return now; }

  public long seed() { return seed; }

  /** All hosts, sorted by name. */
  public SortedMap<String, Host> hosts() { return hosts; }

  /** All VMs (DELETED ones excluded by whoever builds the snapshot), sorted by name. */
  public SortedMap<String, Vm> vms() { return vms; }

  public SortedMap<String, Network> networks() { return networks; }

  public SortedMap<String, Image> images() { return images; }

  public @Nullable Host host(String name) { return hosts.get(name); }

  public @Nullable Vm vm(String name) { return vms.get(name); }

  /**
   * The first VM that {@code vm} depends on ({@code spec.dependsOn}, in order) for which
   * {@code holdsBack} is true, or null. A dependency that no longer exists never holds it back.
   */
  public @Nullable Vm firstDependency(Vm vm, java.util.function.Predicate<Vm> holdsBack) {
    for (String d : vm.spec().dependsOn()) {
      Vm dep = vms.get(d);
      if (dep != null && holdsBack.test(dep)) {
        return dep;
      }
    }
    return null;
  }

  /** What was observed of {@code host}; an empty observation when nothing was (never polled). */
  public HostObservation observation(String host) {
    HostObservation o = hostObservations.get(host);
    return o != null ? o : NONE;
  }

  /** What was observed of {@code vm} while it ran, or null when nothing was. */
  public @Nullable VmObservation vmObservation(String vm) {
    Vm v = vms.get(vm);
    if (v == null) {
      return null;
    }
    VmObservation o = v.host() == null ? null : observation(v.host()).vms().get(vm);
    return o != null || v.migrationTarget() == null ? o : observation(v.migrationTarget()).vms().get(vm);
  }

  /** Latest windowed metrics for {@code host}, or {@link HostMetrics#NONE}. */
  public HostMetrics metrics(String host) {
    return observation(host).metrics();
  }

  /** CPU and memory reserved on {@code host} by the VMs placed there (and migrating to it). */
  public Resources reserved(String host) {
    if (index != null) {
      return index.reservations().getOrDefault(host, Reservation.NONE).resources();
    }
    return derived().reserved.getOrDefault(host, Resources.ZERO);
  }

  /** What {@code host} holds for VMs (resources and count) in one lookup. */
  public Reservation reservation(String host) {
    if (index != null) {
      return index.reservations().getOrDefault(host, Reservation.NONE);
    }
    return new Reservation(reserved(host), vmsOn(host).size());
  }

  /** VMs whose {@code host} is {@code host} and that hold resources there, by name. */
  public List<Vm> vmsOn(String host) {
    if (index != null) {
      java.util.SortedSet<String> names = index.vmNamesByHost().get(host);
      if (names == null) {
        return List.of();
      }
      List<Vm> out = new ArrayList<>(names.size());
      for (String n : names) {
        Vm v = vms.get(n);
        if (v != null && v.state().reservesHost()) {
          out.add(v);
        }
      }
      return out;
    }
    return derived().vmsByHost.getOrDefault(host, List.of());
  }

  /** VMs waiting for a host, oldest first (then by name), the order the scheduler serves them. */
  public List<Vm> pending() {
    return derived().pending;
  }

  /**
   * The VMs that hold resources on a host or migrate to one and have an affinity or anti-affinity
   * group: all placement needs to know of the placed VMs besides the reservations.
   */
  public java.util.Collection<Vm> grouped() {
    if (index == null) {
      return vms.values().stream()
          .filter(v -> v.spec().affinityGroup() != null || v.spec().antiAffinityGroup() != null).toList();
    }
    List<Vm> out = new ArrayList<>(index.grouped().size());
    for (String n : index.grouped()) {
      Vm v = vms.get(n);
      if (v != null) {
        out.add(v);
      }
    }
    out.sort(Comparator.comparing(Vm::name)); // deterministic, like every other iteration here
    return out;
  }

  private static final HostObservation NONE = HostObservation.none(1);

  private Derived derived() {
    Derived d = derived;
    if (d == null) {
      d = index != null ? Derived.pendingOnly(vms, index.pending()) : new Derived(vms);
      derived = d; // idempotent: a race computes the same value twice, never a wrong one
    }
    return d;
  }

  /** What is derived from the VMs once per snapshot, on first use. */
  private static final class Derived {
    final Map<String, Resources> reserved;
    final Map<String, List<Vm>> vmsByHost;
    final List<Vm> pending;

    private Derived(Map<String, Resources> reserved, Map<String, List<Vm>> vmsByHost, List<Vm> pending) {
      this.reserved = reserved;
      this.vmsByHost = vmsByHost;
      this.pending = pending;
    }

    /** With an index, only the pending list is derived: O(pending), sorted as always. */
    static Derived pendingOnly(Map<String, Vm> vms, java.util.Collection<String> names) {
      List<Vm> waiting = new ArrayList<>(names.size());
      for (String n : names) {
        Vm v = vms.get(n);
        if (v != null && v.state() == VmState.PENDING) {
          waiting.add(v);
        }
      }
      waiting.sort(Comparator.comparing(Vm::created).thenComparing(Vm::name));
      return new Derived(Map.of(), Map.of(), List.copyOf(waiting));
    }

    Derived(Map<String, Vm> vms) {
      Map<String, Resources> res = new HashMap<>();
      Map<String, List<Vm>> byHost = new HashMap<>();
      List<Vm> waiting = new ArrayList<>();
      for (Vm vm : vms.values()) {
        if (vm.host() != null && vm.state().reservesHost()) {
          res.merge(vm.host(), vm.spec().demand(), Resources::plus);
          byHost.computeIfAbsent(vm.host(), k -> new ArrayList<>()).add(vm);
        }
        // A migrating VM holds room on its destination too, so nothing else takes it meanwhile.
        if (vm.state() == VmState.MIGRATING && vm.migrationTarget() != null) {
          res.merge(vm.migrationTarget(), vm.spec().demand(), Resources::plus);
        }
        if (vm.state() == VmState.PENDING) {
          waiting.add(vm);
        }
      }
      waiting.sort(Comparator.comparing(Vm::created).thenComparing(Vm::name));
      this.reserved = Map.copyOf(res);
      Map<String, List<Vm>> frozen = new HashMap<>();
      byHost.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
      this.vmsByHost = Map.copyOf(frozen);
      this.pending = List.copyOf(waiting);
    }
  }
}
