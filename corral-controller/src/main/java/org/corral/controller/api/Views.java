package org.corral.controller.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.corral.controller.state.ControllerState;
import org.corral.model.Resources;
import org.corral.model.host.Host;
import org.corral.model.host.HostCapacity;
import org.corral.model.host.PowerSpec;
import org.corral.model.plan.ActionRecord;
import org.corral.model.plan.Cause;
import org.corral.model.snapshot.HostMetrics;
import org.corral.model.vm.DesiredState;
import org.corral.model.vm.NicLease;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmSpec;
import org.jspecify.annotations.Nullable;

/** The JSON shapes of the API (docs/api.md). */
final class Views {
  private Views() {}

  record HostView(String name, String uri, String state, String stateReason, Instant stateSince, HostCapacity capacity,
      Map<String, String> labels, PowerSpec power, Resources reserved, int vms, double cpuUtilisation, double watts,
      org.corral.model.host.LockManager lockManager, org.corral.model.snapshot.StorageLeases storageLeases) {}

  /** @param action the key of the action in flight on the VM (GET /actions/{key} tells how it ended), or null */
  record VmView(String name, String uuid, String state, DesiredState desired, @Nullable String host,
      @Nullable String migrationTarget, String stateReason, Instant stateSince, Instant created, String owner, VmSpec spec,
      List<NicLease> leases, @Nullable String action, List<org.corral.model.vm.ServiceState> services) {}

  record ActionView(String key, String verb, String subject, String status, int attempts, Instant created,
      @Nullable Instant updated, @Nullable String error, Cause cause) {}

  static HostView host(Host h, ControllerState s) {
    return host(h, s.vmsOn(h.name()), s.metrics(h.name()), s.observation(h.name()).leases());
  }

  /**
   * Off the loop: {@code h} with the VMs that hold room on it in the published version and the
   * metrics last observed ({@link ControllerState#published}, {@link ControllerState#publishedMetrics}).
   */
  static HostView publishedHost(Host h, ControllerState.Published p, ControllerState s) {
    List<Vm> on = new java.util.ArrayList<>();
    for (String name : p.vmNamesOn(h.name())) {
      Vm v = p.vms().get(name);
      if (v != null && v.state().reservesHost()) {
        on.add(v);
      }
    }
    return host(h, on, s.publishedMetrics(h.name()), s.observation(h.name()).leases());
  }

  /** @param leases what the storage last said of its leases (observations are soft state, readable from any thread) */
  private static HostView host(Host h, List<Vm> on, HostMetrics m, org.corral.model.snapshot.StorageLeases leases) {
    Resources reserved = Resources.ZERO;
    for (Vm v : on) {
      reserved = reserved.plus(v.spec().demand());
    }
    double watts = switch (h.state()) {
      case OFF, FENCED -> h.powerModelOrTypical().offWatts();
      default -> h.powerModelOrTypical().wattsAt(m.cpuUtilisation());
    };
    return new HostView(h.name(), h.uri(), h.state().name(), h.stateReason(), h.stateSince(), h.capacity(), h.labels(), h.power(),
        reserved, on.size(), round(m.cpuUtilisation()), round(watts), h.lockManager(), leases);
  }

  /** The VM with its declared services not checked (a follower's read: it observes nothing). */
  static VmView vm(Vm v, @Nullable String action) {
    return vm(v, action, List.of());
  }

  /**
   * @param services each service's state as the service checks last published it; a declared
   *                 service missing there shows as UNCHECKED
   */
  static VmView vm(Vm v, @Nullable String action, List<org.corral.model.vm.ServiceState> services) {
    List<org.corral.model.vm.ServiceState> states = new java.util.ArrayList<>();
    for (org.corral.model.vm.ServiceCheck c : v.spec().services()) {
      states.add(services.stream().filter(s -> s.name().equals(c.name())).findFirst()
          .orElse(org.corral.model.vm.ServiceState.unchecked(c.name())));
    }
    return new VmView(v.name(), v.uuid(), v.state().name(), v.desired(), v.host(), v.migrationTarget(), v.stateReason(),
        v.stateSince(), v.created(), v.owner(), v.spec(), v.leases(), action, states);
  }

  static ActionView action(ActionRecord r) {
    return new ActionView(r.key(), r.action().verb(), r.action().subject(), r.status().name(), r.attempts(), r.created(),
        r.updated(), r.error(), r.action().cause());
  }

  record PlannedAction(String key, String verb, String subject, String action, Cause cause) {}

  record PlanView(String origin, long cycle, List<PlannedAction> actions, List<String> notes) {}

  /**
   * @param current false when the loop was too busy to plan again and this is the last plan made
   *                (as of {@code at}): it may have changed since
   */
  record RecommendationView(String id, Instant at, boolean current, List<PlanView> plans) {}

  /** Today's energy in kWh (and joules), with the everything-on counterfactual and the saving, and the power now. */
  record TodayView(java.time.LocalDate day, String zone, Instant since, Instant at, double kwh, double everythingOnKwh, double savedKwh,
      double joules, double baselineJoules, double watts) {}

  static TodayView today(org.corral.controller.energy.EnergyMeter.Today t) {
    return new TodayView(t.day(), t.zone(), t.from(), t.at(), kwh(t.joules()), kwh(t.baselineJoules()), kwh(t.savedJoules()),
        t.joules(), t.baselineJoules(), round(t.watts()));
  }

  private static double kwh(double joules) {
    return Math.round(joules / 3.6e6 * 1e4) / 1e4;
  }

  static Map<String, Object> optimizer(org.corral.controller.OptimizerSettings s) {
    var c = s.consolidation();
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    out.put("automation", s.automation().name().toLowerCase());
    out.put("period", s.period().toString());
    out.put("detector", c.detector().name());
    out.put("selection", c.selector().name());
    out.put("lower", c.lower());
    out.put("upper", c.upper());
    out.put("cooldown", c.cooldown().toString());
    out.put("maxMigrations", c.maxMigrations());
    out.put("reserveHosts", c.reserveHosts());
    out.put("emptySamples", c.emptySamples());
    out.put("migrationMibPerSecond", c.migrationMibPerSecond());
    out.put("minSavingWatts", c.minSavingWatts());
    out.put("groups", s.groups().stream().map(g -> Map.of("labels", g.labels(), "automation", g.automation().name().toLowerCase()))
        .toList());
    return out;
  }

  static RecommendationView recommendation(org.corral.controller.Controller.Recommendation r, boolean current) {
    List<PlanView> plans = r.plans().stream().map(p -> new PlanView(p.origin().name(), p.cycle(),
        p.actions().stream().map(a -> new PlannedAction(a.key(), a.verb(), a.subject(),
            org.corral.controller.executor.Executor.describe(a), a.cause())).toList(), p.notes())).toList();
    return new RecommendationView(r.id(), r.at(), current, plans);
  }

  private static double round(double d) {
    return Math.round(d * 1000) / 1000.0;
  }
}
