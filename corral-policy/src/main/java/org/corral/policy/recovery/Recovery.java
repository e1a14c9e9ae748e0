package org.corral.policy.recovery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.corral.model.host.Host;
import org.corral.model.image.Image;
import org.corral.model.plan.Action;
import org.corral.model.plan.Cause;
import org.corral.model.plan.Origin;
import org.corral.model.plan.Plan;
import org.corral.model.plan.Planner;
import org.corral.model.snapshot.Snapshot;
import org.corral.model.vm.DesiredState;
import org.corral.model.vm.DiskSpec;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmState;
import org.corral.policy.placement.Placement;
import org.corral.policy.placement.PlacementSession;
import org.corral.policy.placement.Scheduler;
import org.jspecify.annotations.Nullable;

/**
 * The Guardian's decision on one snapshot: each failed host is fenced, waited for or given up as
 * off ({@link Fencing}); the VMs of hosts proven off restart on other hosts, HIGH first, then
 * MEDIUM, then LOW (by name within a level), each where the {@link Scheduler} places it (capacity,
 * requirements, affinity and anti-affinity, every VM placed counting for the next). When no host
 * that is on has room, an OFF host is woken (a PowerOnHost; its VMs are placed once it is UP).
 * VMs whose disks are on the failed host's local storage, and VMs at HA level NONE, cannot or must
 * not restart: they are given up (FAILED, with the reason) for the loop to apply.
 *
 * <p>Pure: the same snapshot, busy set and failure facts give the same decision.
 */
public final class Recovery {
  private final Scheduler scheduler;

  public Recovery(Scheduler scheduler) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
  }

  /** A VM that will not be restarted, and why (it goes FAILED). */
  public record GiveUp(String vm, String host, String reason) {}

  /** The plan (fencing, recoveries, hosts to wake, notes) and the VMs given up. */
  public record Decision(Plan plan, List<GiveUp> givenUp) {
    public Decision {
      givenUp = List.copyOf(givenUp);
    }
  }

  /**
   * Decides for every host of {@code snapshot}.
   *
   * @param failures       what is known of each host beyond the snapshot (its power controller's
   *                       answer, its leases, an administrator's confirmation)
   * @param observedSince  a DOWN host is judged only from an observation taken at or after this
   *                       instant (the controller's start): no action on stale state
   */
  public Decision decide(Snapshot snapshot, Planner planner, Function<String, HostFailure> failures, Instant observedSince) {
    long cycle = snapshot.cycle();
    List<Action> actions = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    List<GiveUp> givenUp = new ArrayList<>();
    List<Restart> restarts = new ArrayList<>();
    for (Host h : snapshot.hosts().values()) {
      Fencing.Verdict v = Fencing.decide(h.state(), facts(h, failures.apply(h.name())));
      switch (v.decision()) {
        case NOTHING -> { }
        case WAIT -> notes.add(h.name() + ": " + v.reason());
        case FENCE -> {
          if (stale(snapshot, h, observedSince)) {
            notes.add(h.name() + ": waits for a fresh observation before fencing");
          } else if (!planner.isBusy(h.name())) {
            actions.add(new Action.FenceHost("fence/" + h.name() + "/" + h.version(), h.name(),
                Cause.of(Origin.GUARDIAN, cycle, "host " + h.name() + " is DOWN (" + h.stateReason() + "): " + v.reason())));
          }
        }
        case RESTART_ELSEWHERE -> {
          if (h.state() != org.corral.model.host.HostState.FENCED && stale(snapshot, h, observedSince)) {
            notes.add(h.name() + ": waits for a fresh observation before restarting its VMs");
            continue;
          }
          for (Vm vm : snapshot.vmsOn(h.name())) {
            if (vm.state() == VmState.UNKNOWN && vm.desired() == DesiredState.RUNNING && !planner.isBusy(vm.name())) {
              restarts.add(new Restart(vm, h, v.reason()));
            }
          }
        }
      }
    }
    restarts.sort(Comparator.comparing((Restart r) -> r.vm().spec().ha()).thenComparing(r -> r.vm().name()));
    PlacementSession session = restarts.isEmpty() ? null : scheduler.session(snapshot, true);
    Set<String> waking = new LinkedHashSet<>();
    for (Restart r : restarts) {
      Vm vm = r.vm();
      String failed = r.host().name();
      if (!vm.spec().ha().restarted()) {
        givenUp.add(new GiveUp(vm.name(), failed, "host " + failed + " failed (" + r.why() + "); HA level none: not restarted"));
        continue;
      }
      String local = localDisk(snapshot, vm);
      if (local != null) {
        givenUp.add(new GiveUp(vm.name(), failed, "host " + failed + " failed (" + r.why() + "); its disk " + local
            + " is on that host's local storage, so it cannot start elsewhere"));
        continue;
      }
      PlacementSession.PlacementOutcome out = Objects.requireNonNull(session).place(vm);
      Placement p = out.placement();
      if (p == null) {
        notes.add(vm.name() + ": no host to restart it on: " + Objects.requireNonNull(out.unplaced()).summary());
      } else if (p.powerOn() || waking.contains(p.host())) { // a host woken for an earlier VM of this pass
        if (waking.add(p.host())) {
          Host off = Objects.requireNonNull(snapshot.host(p.host()));
          if (!planner.isBusy(off.name())) {
            actions.add(new Action.PowerOnHost("recover/power-on/" + off.name() + "/" + off.version(), off.name(),
                Cause.of(Origin.GUARDIAN, cycle, "room to restart the VMs of failed host " + failed)));
          }
        }
        notes.add(vm.name() + ": waits for " + p.host() + " to power on");
      } else {
        actions.add(new Action.RecoverVm("recover/" + vm.name() + "/" + vm.version(), vm.name(), failed, p.host(),
            Cause.of(Origin.GUARDIAN, cycle, "host " + failed + " failed (" + r.why() + "); HA "
                + vm.spec().ha().name().toLowerCase(java.util.Locale.ROOT) + "; " + p.reason())));
      }
    }
    return new Decision(new Plan(Origin.GUARDIAN, cycle, actions, notes), givenUp);
  }

  private record Restart(Vm vm, Host host, String why) {}

  /** The power controller's answer as the host's power spec allows it: none without power control. */
  private static HostFailure facts(Host h, HostFailure f) {
    return h.power().canPowerOff() ? f : new HostFailure(BmcAnswer.NO_POWER_CONTROL, f.leaseExpired(), f.confirmedOff());
  }

  private static boolean stale(Snapshot s, Host h, Instant observedSince) {
    return s.observation(h.name()).observedAt().isBefore(observedSince);
  }

  /** The first disk of {@code vm} not on shared storage (its image missing counts as local), or null. */
  private static @Nullable String localDisk(Snapshot s, Vm vm) {
    for (DiskSpec d : vm.spec().disks()) {
      Image img = s.images().get(d.image());
      if (img == null || !img.shared()) {
        return d.image();
      }
    }
    return null;
  }
}
