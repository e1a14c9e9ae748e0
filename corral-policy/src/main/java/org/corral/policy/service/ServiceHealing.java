package org.corral.policy.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.corral.model.InvalidInputException;
import org.corral.model.host.Host;
import org.corral.model.plan.Action;
import org.corral.model.plan.Cause;
import org.corral.model.plan.Origin;
import org.corral.model.plan.Plan;
import org.corral.model.plan.Planner;
import org.corral.model.snapshot.ServiceObservation;
import org.corral.model.snapshot.Snapshot;
import org.corral.model.vm.ServiceCheck;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmState;
import org.corral.policy.placement.Placement;
import org.corral.policy.placement.PlacementSession;
import org.corral.policy.placement.Scheduler;
import org.corral.policy.recovery.Recovery;

/**
 * The Guardian's decision on the services checked inside VMs, from one snapshot (its service
 * observations) and each service's history: {@link ServiceEscalation}'s step for each service
 * becomes an action.
 *
 * <ul>
 *   <li>restart the service: a {@link Action.RestartService} of it, then of the services of the
 *       VM that depend on it ({@link ServiceOrder});</li>
 *   <li>restart the VM: a {@link Action.StopVm}, then, once it is STOPPED, a {@link Action.StartVm}
 *       in place (the ordinary start);</li>
 *   <li>recreate it on another host: a StopVm, then a {@link Action.RecoverVm} to where the
 *       scheduler places it with its current host excluded (in place when no other host fits or
 *       its disk is local);</li>
 *   <li>give up: no action; the loop marks the service GAVE_UP, journals and notifies.</li>
 * </ul>
 * After a VM restart made here completes, the services of the VMs that depend on it
 * ({@code dependsOn}) are restarted. One action per VM per decision; a VM that is busy, not
 * RUNNING or on a host that does not take VMs is left alone.
 *
 * <p>Pure: the same snapshot, busy set, histories and restarts under way give the same decision.
 */
public final class ServiceHealing {
  /** Key prefixes of the actions decided here. */
  public static final String RESTART_SERVICE = "service-restart/";
  public static final String STOP = "service-stop/";
  public static final String START = "service-start/";
  public static final String RECREATE = "service-recreate/";
  public static final String DEPENDANTS = "dependants-restart/";

  private final ServiceEscalation escalation;
  private final Scheduler scheduler;

  public ServiceHealing(ServiceEscalation escalation, Scheduler scheduler) {
    this.escalation = Objects.requireNonNull(escalation, "escalation");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
  }

  public ServiceEscalation escalation() {
    return escalation;
  }

  /**
   * A VM restart begun for a service: the VM is being stopped ({@code started} false), then
   * started in place or elsewhere ({@code started} true).
   *
   * @param from      the host it ran on when the restart began
   * @param elsewhere recreate it on another host rather than in place
   */
  public record VmRestart(String vm, String from, boolean elsewhere, boolean started, String reason) {
    VmRestart starting() {
      return new VmRestart(vm, from, elsewhere, true, reason);
    }
  }

  /** A step of the escalation taken for a service now (the loop records it in its history). */
  public record Taken(String vm, String service, ServiceEscalation.Step step, String reason) {}

  /**
   * @param plan     the actions, and notes
   * @param taken    the steps taken, GIVE_UP included (it has no action)
   * @param verdicts the escalation's verdict for each service considered, by {@code vm/service}
   * @param restarts the VM restarts under way after this decision (those begun, advanced, or kept), by VM
   */
  public record Decision(Plan plan, List<Taken> taken, Map<String, ServiceEscalation.Next> verdicts, Map<String, VmRestart> restarts) {
    public Decision {
      taken = List.copyOf(taken);
      verdicts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(verdicts));
      restarts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(restarts));
    }
  }

  /**
   * @param history    each service's history, by {@code vm/service}
   * @param restarting the VM restarts under way, by VM (from the previous decision)
   */
  public Decision decide(Snapshot snapshot, Planner planner, Function<String, ServiceEscalation.History> history,
      Map<String, VmRestart> restarting) {
    List<Action> actions = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    List<Taken> taken = new ArrayList<>();
    Map<String, ServiceEscalation.Next> verdicts = new LinkedHashMap<>();
    Map<String, VmRestart> after = new LinkedHashMap<>();
    java.util.Set<String> acted = new java.util.HashSet<>();
    long cycle = snapshot.cycle();
    Instant now = snapshot.now();
    for (VmRestart r : restarting.values()) {
      Vm vm = snapshot.vm(r.vm());
      if (vm == null || planner.isBusy(r.vm())) {
        if (vm != null) {
          after.put(r.vm(), r);
        }
        continue;
      }
      if (!r.started() && vm.state() == VmState.STOPPED && r.from().equals(vm.host())) {
        actions.add(start(snapshot, vm, r, notes));
        after.put(r.vm(), r.starting());
      } else if (r.started() && vm.state() == VmState.RUNNING) {
        acted.addAll(dependants(snapshot, planner, vm, r, actions));
      }
      // Anything else (the stop failed and it runs on; the start failed; the host failed) is left
      // to the Guardian's crash restarts and recovery.
    }
    for (Vm vm : snapshot.vms().values()) {
      if (vm.spec().services().isEmpty() || vm.state() != VmState.RUNNING || planner.isBusy(vm.name())
          || after.containsKey(vm.name()) || acted.contains(vm.name()) || vm.host() == null) {
        continue;
      }
      Host host = snapshot.host(vm.host());
      if (host == null || !host.state().acceptsVms()) {
        continue;
      }
      ServiceOrder order;
      try {
        order = ServiceOrder.of("spec.services", vm.spec().services());
      } catch (InvalidInputException e) {
        notes.add(vm.name() + ": services not checked: " + e.getMessage());
        continue;
      }
      boolean done = false;
      for (ServiceCheck c : order.startOrder()) {
        String key = Snapshot.serviceKey(vm.name(), c.name());
        ServiceEscalation.Next next = escalation.next(history.apply(key), now);
        verdicts.put(key, next);
        if (done) {
          continue; // one action per VM per decision: the next decision sees the rest
        }
        ServiceObservation last = snapshot.serviceObservation(vm.name(), c.name());
        String why = "service " + c.name() + " of " + vm.name() + ": " + next.reason()
            + (last != null ? " (last check: " + last.reason() + ")" : "");
        Cause cause = Cause.of(Origin.GUARDIAN, cycle, why);
        switch (next.action()) {
          case NOTHING, PAUSED -> { }
          case RESTART_SERVICE -> {
            List<String> names = new ArrayList<>();
            names.add(c.name());
            for (ServiceCheck d : order.dependants(c.name())) {
              if (d.restartable()) {
                names.add(d.name());
              }
            }
            actions.add(new Action.RestartService(RESTART_SERVICE + vm.name() + "/" + c.name() + "/" + now.toEpochMilli(), vm.name(),
                vm.host(), names, cause));
            done = true;
          }
          case RESTART_VM, RECREATE_ELSEWHERE -> {
            actions.add(new Action.StopVm(STOP + vm.name() + "/" + vm.version(), vm.name(), vm.host(), false, cause));
            after.put(vm.name(), new VmRestart(vm.name(), vm.host(), next.action() == ServiceEscalation.Action.RECREATE_ELSEWHERE,
                false, why));
            done = true;
          }
          case GIVE_UP -> { }
        }
        if (next.action() != ServiceEscalation.Action.NOTHING && next.action() != ServiceEscalation.Action.PAUSED) {
          taken.add(new Taken(vm.name(), c.name(), next.step(), why));
        }
      }
    }
    return new Decision(new Plan(Origin.GUARDIAN, cycle, actions, notes), taken, verdicts, after);
  }

  /** The start after the stop: in place, or on another host where the scheduler places it. */
  private Action start(Snapshot snapshot, Vm vm, VmRestart r, List<String> notes) {
    Cause cause = Cause.of(Origin.GUARDIAN, snapshot.cycle(), r.reason());
    String from = r.from();
    if (r.elsewhere()) {
      String local = Recovery.localDisk(snapshot, vm);
      Placement p = null;
      if (local == null) {
        PlacementSession session = scheduler.session(snapshot, true);
        session.remove(vm.name());
        session.exclude(from);
        p = session.place(vm).placement();
      }
      Host to = p == null ? null : snapshot.host(p.host());
      if (p != null && !p.powerOn() && to != null && to.state().acceptsVms()) {
        return new Action.RecoverVm(RECREATE + vm.name() + "/" + vm.version(), vm.name(), from, p.host(),
            Cause.of(Origin.GUARDIAN, snapshot.cycle(), r.reason() + "; recreated on another host: " + p.reason()));
      }
      String why = local != null ? "its disk " + local + " is on local storage" : "no other host that is on has room for it";
      notes.add(vm.name() + ": not recreated elsewhere (" + why + "): restarted in place");
      cause = Cause.of(Origin.GUARDIAN, snapshot.cycle(), r.reason() + "; " + why + ": restarted in place");
    }
    return new Action.StartVm(START + vm.name() + "/" + vm.version(), vm.name(), from, cause);
  }

  /** After {@code vm} was restarted: the restartable services of each running VM that depends on it, in start order; returns those VMs. */
  private static List<String> dependants(Snapshot snapshot, Planner planner, Vm vm, VmRestart r, List<Action> actions) {
    List<String> restarted = new ArrayList<>();
    for (Vm d : snapshot.vms().values()) {
      if (!d.spec().dependsOn().contains(vm.name()) || d.state() != VmState.RUNNING || d.host() == null || planner.isBusy(d.name())) {
        continue;
      }
      List<String> names = restartable(d);
      if (!names.isEmpty()) {
        actions.add(new Action.RestartService(DEPENDANTS + d.name() + "/" + vm.name() + "/" + vm.version(), d.name(), d.host(), names,
            Cause.of(Origin.GUARDIAN, snapshot.cycle(), vm.name() + " was restarted (" + r.reason() + "); " + d.name()
                + " depends on it: its services restart after it")));
        restarted.add(d.name());
      }
    }
    return restarted;
  }

  /** The services of {@code vm} that can be restarted by themselves, in start order. */
  static List<String> restartable(Vm vm) {
    List<String> names = new ArrayList<>();
    try {
      for (ServiceCheck c : ServiceOrder.of("spec.services", vm.spec().services()).startOrder()) {
        if (c.restartable()) {
          names.add(c.name());
        }
      }
    } catch (InvalidInputException e) {
      return List.of();
    }
    return names;
  }
}
