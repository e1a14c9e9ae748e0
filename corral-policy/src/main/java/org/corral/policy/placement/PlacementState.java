package org.corral.policy.placement;

import org.jspecify.annotations.Nullable;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.corral.model.Resources;
import org.corral.model.host.Host;
import org.corral.model.host.HostState;
import org.corral.model.host.PowerModel;
import org.corral.model.image.Image;
import org.corral.model.snapshot.HostObservation;
import org.corral.model.snapshot.Reservation;
import org.corral.model.snapshot.Snapshot;
import org.corral.model.vm.Vm;
import org.corral.policy.expr.CompiledExpression;

/**
 * The scheduler's working copy of the hosts for one call or what-if session: flat arrays indexed
 * by host number (hosts in name order, so index order is name order and ties go to the smaller
 * index). Placing or removing a VM, excluding a host or waking one updates the arrays and every
 * index built on them, so the next VM sees it. Created per call and never shared: the snapshot
 * itself is never touched.
 */
final class PlacementState {

  final int size;
  final Host[] hosts;
  final String[] names;
  /** Takes VMs now (UP), or will once woken in this session. */
  final boolean[] up;
  /** OFF and may be powered on for room (a session that allows it tries these last). */
  final boolean[] wakeable;
  /**
   * Its hypervisor answered since the controller started (or it is OFF and would be checked when
   * woken): a host nobody has checked takes no VM.
   */
  final boolean[] checked;
  /** Set aside by a what-if session: takes nothing. */
  final boolean[] excluded;
  /** True while a search may use wakeable hosts (the second pass of a session that allows it). */
  boolean wakeMode;
  /**
   * Labelled {@value #LAST_RESORT_LABEL}={@value #LAST_RESORT_VALUE} (an ec2:// host that costs
   * money, say): searched only once no other host fits, even woken (see {@link Scheduler}).
   */
  final boolean[] lastResort;
  /** Some host is last-resort: only then does a VM that fits nowhere get the last pass. */
  final boolean anyLastResort;
  /** True while a search may use last-resort hosts (the last pass). */
  boolean lastResortMode;
  /**
   * A reserved spare host ({@link SchedulerSettings#spare}): searched only in {@link #spareMode},
   * which only the recovery of a failed host's VMs sets (spares first).
   */
  final boolean[] spare;
  /** Some host is a spare: only then does a recovery make a spare pass. */
  final boolean anySpare;
  /**
   * Its storage leases EXPIRED though it answers ({@link HostObservation#storageLost}): it lost its
   * path to the shared storage, and takes no VM with a disk there ({@link StorageLeaseFilter}).
   */
  final boolean[] storageLost;
  /** The images, to tell a VM's disks on shared storage ({@link Image#shared}). */
  final Map<String, Image> images;
  /** True while a search looks at spares, and only at them. */
  boolean spareMode;
  static final String LAST_RESORT_LABEL = "placement";
  static final String LAST_RESORT_VALUE = "last-resort";
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

  final Map<String, Integer> indexOf;
  private final GroupHosts affinityHosts;
  private final GroupHosts antiAffinityHosts;
  private final Map<CompiledExpression, ExpressionMemo> memos = new IdentityHashMap<>();
  private final List<HostIndex> indexes = new ArrayList<>();

  /** Spares by label only ({@link SchedulerSettings#SPARE_LABEL}). */
  PlacementState(Snapshot snapshot, double cpuOvercommit) {
    this(snapshot, cpuOvercommit, SchedulerSettings.DEFAULT::spare);
  }

  PlacementState(Snapshot snapshot, double cpuOvercommit, java.util.function.Predicate<Host> isSpare) {
    size = snapshot.hosts().size();
    // One spare slot at the end: HostIndex uses it as a search probe.
    hosts = new Host[size];
    names = new String[size + 1];
    up = new boolean[size];
    wakeable = new boolean[size];
    excluded = new boolean[size];
    checked = new boolean[size];
    lastResort = new boolean[size];
    spare = new boolean[size];
    storageLost = new boolean[size];
    images = snapshot.images();
    memoryCapacity = new long[size + 1];
    memoryReserved = new long[size + 1];
    cpuCapacity = new double[size + 1];
    cpuReserved = new double[size + 1];
    vms = new int[size + 1];
    cpusPlacedNow = new int[size];
    cpuUtilisation = new double[size];
    power = new PowerModel[size];
    version = new int[size];
    indexOf = new HashMap<>(size * 2);
    affinityHosts = new GroupHosts(size);
    antiAffinityHosts = new GroupHosts(size);
    long maxMhz = 1;
    double maxWatts = 1;
    int i = 0;
    for (Host h : snapshot.hosts().values()) {
      hosts[i] = h;
      names[i] = h.name();
      indexOf.put(h.name(), i);
      up[i] = h.state().acceptsVms();
      wakeable[i] = h.state() == HostState.OFF;
      lastResort[i] = LAST_RESORT_VALUE.equals(h.labels().get(LAST_RESORT_LABEL));
      spare[i] = isSpare.test(h);
      // One lookup each of the observation and the reservation: this runs for every host every pass.
      HostObservation seen = snapshot.observation(h.name());
      Reservation held = snapshot.reservation(h.name());
      checked[i] = wakeable[i] || seen.answered();
      storageLost[i] = seen.storageLost();
      Resources cap = h.capacity().schedulable(cpuOvercommit);
      Resources used = held.resources();
      memoryCapacity[i] = cap.memoryMib();
      cpuCapacity[i] = cap.cpus();
      memoryReserved[i] = used.memoryMib();
      cpuReserved[i] = used.cpus();
      vms[i] = held.vms();
      cpuUtilisation[i] = clamp01(seen.metrics().cpuUtilisation());
      power[i] = h.powerModelOrTypical();
      maxMhz = Math.max(maxMhz, h.capacity().totalMhz());
      maxWatts = Math.max(maxWatts, power[i].maxWatts());
      i++;
    }
    boolean any = false;
    for (boolean b : lastResort) {
      any |= b;
    }
    anyLastResort = any;
    boolean anySpares = false;
    for (boolean b : spare) {
      anySpares |= b;
    }
    anySpare = anySpares;
    largestTotalMhz = maxMhz;
    largestMaxWatts = maxWatts;
    // Only VMs with a group matter here (the reservations came above): not a pass over every VM.
    for (Vm vm : snapshot.grouped()) {
      if (vm.host() != null && vm.state().reservesHost()) {
        Integer h = indexOf.get(vm.host());
        if (h != null) {
          affinityHosts.add(vm.spec().affinityGroup(), h);
          antiAffinityHosts.add(vm.spec().antiAffinityGroup(), h);
        }
      }
      // A VM migrating to a host will be there soon: keep anti-affinity members apart there too.
      if (vm.migrationTarget() != null && vm.state().reservesHost()) {
        Integer h = indexOf.get(vm.migrationTarget());
        if (h != null) {
          antiAffinityHosts.add(vm.spec().antiAffinityGroup(), h);
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

  /** True when host {@code h} may be searched now: up (or wakeable in wake mode), checked, not excluded. */
  boolean eligible(int h) {
    return upOrWakeable(h) && checked[h] && !excluded[h];
  }

  boolean upOrWakeable(int h) {
    return (up[h] || (wakeMode && wakeable[h])) && (!lastResort[h] || lastResortMode);
  }

  /** Hosts already holding a member of affinity group {@code group}, or null when none. */
  @Nullable BitSet affinityHosts(@Nullable String group) {
    return affinityHosts.hosts(group);
  }

  boolean holdsAntiAffinityMember(@Nullable String group, int h) {
    BitSet set = antiAffinityHosts.hosts(group);
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
    change(h, () -> {
      memoryReserved[h] += vm.memoryMib();
      cpuReserved[h] += vm.cpus();
      cpusPlacedNow[h] += vm.cpus();
      vms[h]++;
      affinityHosts.add(vm.affinityGroup(), h);
      antiAffinityHosts.add(vm.antiAffinityGroup(), h);
    });
  }

  /** Frees what {@code vm} holds on host {@code h} (it is about to move away). */
  void remove(int h, Vm vm) {
    change(h, () -> {
      memoryReserved[h] -= vm.spec().memoryMib();
      cpuReserved[h] -= vm.spec().cpus();
      vms[h]--;
      affinityHosts.remove(vm.spec().affinityGroup(), h);
      antiAffinityHosts.remove(vm.spec().antiAffinityGroup(), h);
    });
  }

  /** Sets host {@code h} aside, or brings it back. */
  void exclude(int h, boolean exclude) {
    change(h, () -> excluded[h] = exclude);
  }

  /** An OFF host chosen for room: from now on it counts as up in this session. */
  void wake(int h) {
    change(h, () -> {
      up[h] = true;
      wakeable[h] = false;
    });
  }

  /** Changes applied so far, to any host: what a cached answer was computed at. */
  long changes;

  /** Applies one change to host {@code h}: out of every index, changed, back in where it belongs. */
  private void change(int h, Runnable change) {
    for (HostIndex index : indexes) {
      index.remove(h);
    }
    change.run();
    version[h]++;
    changes++;
    for (HostIndex index : indexes) {
      index.add(h);
    }
  }

  private static double clamp01(double v) {
    return Double.isNaN(v) ? 0 : Math.max(0, Math.min(1, v));
  }
}
