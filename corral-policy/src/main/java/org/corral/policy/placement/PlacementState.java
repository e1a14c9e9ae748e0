package org.corral.policy.placement;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.corral.model.Resources;
import org.corral.model.host.Host;
import org.corral.model.host.PowerModel;
import org.corral.model.snapshot.Snapshot;
import org.corral.model.vm.Vm;
import org.corral.policy.expr.CompiledExpression;

/**
 * The scheduler's working copy of the hosts for one call: flat arrays indexed by host number
 * (hosts in name order, so index order is name order and ties go to the smaller index). Placing a
 * VM updates the arrays and every index built on them, so the next VM of the call sees it.
 * Created per call and never shared: the snapshot itself is never touched.
 */
final class PlacementState {
  /** Used when a host declares no power model: a typical 1U server. */
  static final PowerModel DEFAULT_POWER = PowerModel.linear(100, 250);

  final int size;
  final Host[] hosts;
  final String[] names;
  final boolean[] up;
  final long[] memoryCapacity;
  final long[] memoryReserved;
  final double[] cpuCapacity;
  final double[] cpuReserved;
  final int[] vms;
  /** vCPUs placed on each host by this call (the Monitor has not measured them yet). */
  final int[] cpusPlacedNow;
  final double[] cpuUtilisation;
  final PowerModel[] power;
  /** Bumped on every placement; cached expression results that read free resources check it. */
  final int[] version;
  final long largestTotalMhz;
  final double largestMaxWatts;

  /** The one cursor expressions read through (a call is single-threaded). */
  final HostFacts facts = new HostFacts(this);

  private final Map<String, BitSet> affinityHosts = new HashMap<>();
  private final Map<String, BitSet> antiAffinityHosts = new HashMap<>();
  private final Map<CompiledExpression, ExpressionMemo> memos = new IdentityHashMap<>();
  private final List<HostIndex> indexes = new ArrayList<>();

  PlacementState(Snapshot snapshot, double cpuOvercommit) {
    size = snapshot.hosts().size();
    // One spare slot at the end: HostIndex uses it as a search probe.
    hosts = new Host[size];
    names = new String[size + 1];
    up = new boolean[size];
    memoryCapacity = new long[size + 1];
    memoryReserved = new long[size + 1];
    cpuCapacity = new double[size + 1];
    cpuReserved = new double[size + 1];
    vms = new int[size + 1];
    cpusPlacedNow = new int[size];
    cpuUtilisation = new double[size];
    power = new PowerModel[size];
    version = new int[size];
    Map<String, Integer> indexOf = new HashMap<>(size * 2);
    long maxMhz = 1;
    double maxWatts = 1;
    int i = 0;
    for (Host h : snapshot.hosts().values()) {
      hosts[i] = h;
      names[i] = h.name();
      indexOf.put(h.name(), i);
      up[i] = h.state().acceptsVms();
      Resources cap = h.capacity().schedulable(cpuOvercommit);
      Resources used = snapshot.reserved(h.name());
      memoryCapacity[i] = cap.memoryMib();
      cpuCapacity[i] = cap.cpus();
      memoryReserved[i] = used.memoryMib();
      cpuReserved[i] = used.cpus();
      vms[i] = snapshot.vmsOn(h.name()).size();
      cpuUtilisation[i] = clamp01(snapshot.metrics(h.name()).cpuUtilisation());
      power[i] = h.powerModel() == null ? DEFAULT_POWER : h.powerModel();
      maxMhz = Math.max(maxMhz, h.capacity().totalMhz());
      maxWatts = Math.max(maxWatts, power[i].maxWatts());
      i++;
    }
    largestTotalMhz = maxMhz;
    largestMaxWatts = maxWatts;
    for (Vm vm : snapshot.vms().values()) {
      if (vm.host() != null && vm.state().reservesHost()) {
        Integer h = indexOf.get(vm.host());
        if (h != null) {
          member(affinityHosts, vm.spec().affinityGroup(), h);
          member(antiAffinityHosts, vm.spec().antiAffinityGroup(), h);
        }
      }
      // A VM migrating to a host will be there soon: keep anti-affinity members apart there too.
      if (vm.migrationTarget() != null && vm.state().reservesHost()) {
        Integer h = indexOf.get(vm.migrationTarget());
        if (h != null) {
          member(antiAffinityHosts, vm.spec().antiAffinityGroup(), h);
        }
      }
    }
  }

  long freeMemory(int h) {
    return memoryCapacity[h] - memoryReserved[h];
  }

  double freeCpus(int h) {
    return cpuCapacity[h] - cpuReserved[h];
  }

  /** Hosts already holding a member of affinity group {@code group}, or null when none. */
  BitSet affinityHosts(String group) {
    return group == null ? null : affinityHosts.get(group);
  }

  boolean holdsAntiAffinityMember(String group, int h) {
    BitSet set = group == null ? null : antiAffinityHosts.get(group);
    return set != null && set.get(h);
  }

  ExpressionMemo memo(CompiledExpression expr) {
    return memos.computeIfAbsent(expr, e -> new ExpressionMemo(e, size));
  }

  void register(HostIndex index) {
    indexes.add(index);
  }

  /** Accounts for {@code vm} on host {@code h}, keeping every index in order. */
  void place(int h, Candidate vm) {
    for (HostIndex index : indexes) {
      index.remove(h);
    }
    memoryReserved[h] += vm.memoryMib();
    cpuReserved[h] += vm.cpus();
    cpusPlacedNow[h] += vm.cpus();
    vms[h]++;
    version[h]++;
    member(affinityHosts, vm.affinityGroup(), h);
    member(antiAffinityHosts, vm.antiAffinityGroup(), h);
    for (HostIndex index : indexes) {
      index.add(h);
    }
  }

  private static void member(Map<String, BitSet> groups, String group, int h) {
    if (group != null) {
      groups.computeIfAbsent(group, g -> new BitSet()).set(h);
    }
  }

  private static double clamp01(double v) {
    return Double.isNaN(v) ? 0 : Math.max(0, Math.min(1, v));
  }
}
