package org.corral.policy.placement;

import org.jspecify.annotations.Nullable;
import java.util.Objects;
import org.corral.model.NotFoundException;
import org.corral.model.Resources;
import org.corral.model.snapshot.Snapshot;
import org.corral.model.vm.Vm;

/**
 * A what-if state for a run of placements on one snapshot: VMs taken off their hosts, hosts set
 * aside, hosts that are OFF considered at a cost, each placement accounted for before the next.
 * The optimizer asks "if these VMs left node3, and node3 took nothing back, where would each go?";
 * the scheduling loop uses it with no changes. The snapshot is never touched.
 *
 * <p>Not thread-safe: one decision, one thread. Indexes stay exact through every change.
 */
public final class PlacementSession {
  private final Scheduler scheduler;
  private final Snapshot snapshot;
  private final PlacementState state;
  private final HostIndexes indexes;
  private final boolean mayWake;

  PlacementSession(Scheduler scheduler, Snapshot snapshot, SchedulerSettings settings, boolean mayWake) {
    this.scheduler = scheduler;
    this.snapshot = snapshot;
    this.state = new PlacementState(snapshot, settings.cpuOvercommit(), settings::spare);
    this.indexes = new HostIndexes(state);
    this.mayWake = mayWake;
  }

  /**
   * Frees the room {@code vm} holds on its host, as if it had left. A later {@link #place} of it
   * may choose any host, its old one included unless excluded.
   *
   * @throws NotFoundException when the snapshot has no such VM
   * @throws IllegalArgumentException when the VM holds no room on any host (it is not placed)
   */
  public void remove(String vm) {
    Vm v = snapshot.vm(vm);
    if (v == null) {
      throw new NotFoundException("vm", vm);
    }
    Integer h = v.host() == null || !v.state().reservesHost() ? null : state.indexOf.get(v.host());
    if (h == null) {
      throw new IllegalArgumentException("vm " + vm + " holds no room on a host (state " + v.state() + ")");
    }
    state.remove(h, v);
  }

  /** Sets {@code host} aside: no placement of this session goes there (a host being drained). */
  public void exclude(String host) {
    state.exclude(index(host), true);
  }

  /** Undoes {@link #exclude}. */
  public void include(String host) {
    state.exclude(index(host), false);
  }

  /**
   * Places {@code vm}: the best eligible host that is on; failing that, when this session may wake
   * hosts, the best OFF host (the placement then says {@code powerOn}). The placement takes room
   * and counts for affinity before the next call. A VM the snapshot has on a host keeps that
   * host as {@link Placement#from()} (remove it first, or its room is counted twice).
   */
  public PlacementOutcome place(Vm vm) {
    Objects.requireNonNull(vm, "vm");
    return scheduler.placeOne(this, vm, false);
  }

  /**
   * Places a failed host's VM for its recovery: like {@link #place}, but the reserved spare hosts
   * ({@link SchedulerSettings#spare}), which take no other VM, come first. The order: spares that
   * are on, then the other hosts that are on, then (when this session may wake hosts) spares that
   * are OFF, then the other OFF hosts. A spare that is on takes the VM at once; one that is OFF is
   * woken before any other OFF host, but not while a host that is on has room (waking costs the
   * host's boot time).
   */
  public PlacementOutcome placeForRecovery(Vm vm) {
    Objects.requireNonNull(vm, "vm");
    return scheduler.placeOne(this, vm, true);
  }

  /**
   * True when {@code vm} passes every filter of its placement pipeline on {@code host} in this
   * session's state (capacity, affinity, requirements, the host up, checked and not excluded):
   * for callers that rank hosts their own way (the optimizer ranks by measured power) but must
   * keep the scheduler's rules.
   *
   * @throws NotFoundException when there is no such host
   */
  public boolean fits(Vm vm, String host) {
    return scheduler.fits(this, vm, index(host));
  }

  /**
   * What the capacity filters see free on {@code host} now: its schedulable capacity (cores times
   * the vCPU overcommit ratio, and memory) less what its VMs hold, after every change made in this
   * session. For callers that keep their own index of destinations in step with the session.
   *
   * @throws NotFoundException when there is no such host
   */
  public Resources free(String host) {
    int h = index(host);
    return new Resources(state.freeCpus(h), state.freeMemory(h));
  }

  /** Like {@link #fits}, for a host that is OFF: would {@code vm} fit there once it is powered on? */
  public boolean fitsOnceOn(Vm vm, String host) {
    int h = index(host);
    if (!state.wakeable[h]) {
      return false;
    }
    state.wakeMode = true;
    try {
      return scheduler.fits(this, vm, h);
    } finally {
      state.wakeMode = false;
    }
  }

  /**
   * Accounts for {@code vm} on {@code host} (after {@link #fits}): it takes room and counts for
   * affinity for the rest of the session.
   */
  public void assign(Vm vm, String host) {
    scheduler.assign(this, vm, index(host));
  }

  /**
   * Takes {@code vm}'s room off {@code host}: undoes {@link #assign} (an all-or-nothing evacuation
   * that did not work out), or, for a VM the snapshot has on {@code host}, does what
   * {@link #remove} does without looking the VM up by name.
   */
  public void unassign(Vm vm, String host) {
    state.remove(index(host), vm);
  }

  /**
   * Specs that found no host, with the report and the state's change count then. A VM with the
   * same spec and no host, asked while nothing has changed since, gets the same answer without a
   * scan of every host: a burst of identical VMs beyond capacity costs one scan, not one each.
   */
  private final java.util.Map<org.corral.model.vm.VmSpec, Failed> failed = new java.util.HashMap<>();

  private record Failed(long atChange, PlacementReport report) {}

  /** The report of an identical VM that found no host, if nothing has changed since. */
  @Nullable PlacementReport failedLike(Vm vm) {
    if (vm.host() != null) {
      return null;
    }
    Failed f = failed.get(vm.spec());
    return f != null && f.atChange() == state.changes
        ? new PlacementReport(vm.name(), f.report().summary(), f.report().rejectedBy()) : null;
  }

  void rememberFailure(Vm vm, PlacementReport r) {
    if (vm.host() == null) {
      failed.put(vm.spec(), new Failed(state.changes, r));
    }
  }

  /** One VM is usually tried on many hosts in a row: keep its compiled form for the next call. */
  private @Nullable Vm lastVm;
  private @Nullable Candidate lastCandidate;

  @Nullable Candidate candidateFor(Vm vm) {
    if (vm != lastVm) {
      lastVm = vm;
      lastCandidate = scheduler.candidateOrNull(vm);
    }
    return lastCandidate;
  }

  PlacementState state() {
    return state;
  }

  HostIndexes indexes() {
    return indexes;
  }

  boolean mayWake() {
    return mayWake;
  }

  private int index(String host) {
    Integer h = state.indexOf.get(host);
    if (h == null) {
      throw new NotFoundException("host", host);
    }
    return h;
  }

  /** Where one VM went, or why it could not go anywhere: exactly one of the two is non-null. */
  public record PlacementOutcome(@Nullable Placement placement, @Nullable PlacementReport unplaced) {
    static PlacementOutcome placed(Placement p) {
      return new PlacementOutcome(p, null);
    }

    static PlacementOutcome unplaced(PlacementReport r) {
      return new PlacementOutcome(null, r);
    }

    public boolean isPlaced() {
      return placement != null;
    }
  }
}
