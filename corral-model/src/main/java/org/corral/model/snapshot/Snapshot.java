package org.corral.model.snapshot;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * deterministic. Reservations per host are derived once at construction (O(VMs)).
 *
 * @param cycle the number of the loop cycle that took it (journaled with the plan)
 * @param now   the injected clock's time when it was taken
 * @param seed  the seed for any random choice made on this snapshot
 */
public final class Snapshot {
  private final long cycle;
  private final Instant now;
  private final long seed;
  private final Map<String, Host> hosts;
  private final Map<String, Vm> vms;
  private final Map<String, Network> networks;
  private final Map<String, Image> images;
  private final Map<String, HostMetrics> metrics;
  private final Map<String, Resources> reserved;
  private final Map<String, List<Vm>> vmsByHost;

  public Snapshot(long cycle, Instant now, long seed, Map<String, Host> hosts, Map<String, Vm> vms,
      Map<String, Network> networks, Map<String, Image> images, Map<String, HostMetrics> metrics) {
    this.cycle = cycle;
    this.now = now;
    this.seed = seed;
    this.hosts = sorted(hosts);
    this.vms = sorted(vms);
    this.networks = sorted(networks);
    this.images = sorted(images);
    this.metrics = Map.copyOf(metrics);
    Map<String, Resources> res = new HashMap<>();
    Map<String, List<Vm>> byHost = new HashMap<>();
    for (Vm vm : this.vms.values()) {
      if (vm.host() != null && vm.state().reservesHost()) {
        res.merge(vm.host(), vm.spec().demand(), Resources::plus);
        byHost.computeIfAbsent(vm.host(), k -> new ArrayList<>()).add(vm);
      }
      // A migrating VM holds room on its destination too, so nothing else takes it meanwhile.
      if (vm.state() == VmState.MIGRATING && vm.migrationTarget() != null) {
        res.merge(vm.migrationTarget(), vm.spec().demand(), Resources::plus);
      }
    }
    this.reserved = Map.copyOf(res);
    Map<String, List<Vm>> frozen = new HashMap<>();
    byHost.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
    this.vmsByHost = Map.copyOf(frozen);
  }

  private static <V> Map<String, V> sorted(Map<String, V> m) {
    return Collections.unmodifiableSortedMap(new TreeMap<>(m));
  }

  public long cycle() { return cycle; }

  public Instant now() { return now; }

  public long seed() { return seed; }

  /** All hosts, sorted by name. */
  public Map<String, Host> hosts() { return hosts; }

  /** All VMs (DELETED ones excluded by whoever builds the snapshot), sorted by name. */
  public Map<String, Vm> vms() { return vms; }

  public Map<String, Network> networks() { return networks; }

  public Map<String, Image> images() { return images; }

  public Host host(String name) { return hosts.get(name); }

  public Vm vm(String name) { return vms.get(name); }

  /** Latest metrics for {@code host}, or {@link HostMetrics#NONE}. */
  public HostMetrics metrics(String host) {
    return metrics.getOrDefault(host, HostMetrics.NONE);
  }

  /** CPU and memory reserved on {@code host} by the VMs placed there (and migrating to it). */
  public Resources reserved(String host) {
    return reserved.getOrDefault(host, Resources.ZERO);
  }

  /** VMs whose {@code host} is {@code host} and that hold resources there. */
  public List<Vm> vmsOn(String host) {
    return vmsByHost.getOrDefault(host, List.of());
  }

  /** VMs waiting for a host, oldest first (then by name), the order the scheduler serves them. */
  public List<Vm> pending() {
    List<Vm> out = new ArrayList<>();
    for (Vm vm : vms.values()) {
      if (vm.state() == VmState.PENDING) {
        out.add(vm);
      }
    }
    out.sort(Comparator.comparing(Vm::created).thenComparing(Vm::name));
    return out;
  }
}
