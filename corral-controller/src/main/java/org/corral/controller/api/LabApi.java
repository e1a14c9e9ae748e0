package org.corral.controller.api;

import io.javalin.Javalin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.corral.drivers.sim.SimDataCenter;
import org.corral.drivers.sim.SimHost;
import org.corral.drivers.sim.WorkloadModel;
import org.corral.model.ConflictException;
import org.corral.model.InvalidInputException;
import org.corral.model.NotFoundException;
import org.corral.model.journal.EntryKind;
import org.corral.model.journal.SubjectKind;
import org.corral.model.plan.Cause;
import org.corral.model.plan.Origin;
import org.corral.controller.Controller;
import org.corral.controller.auth.Permission;
import org.jspecify.annotations.Nullable;

/**
 * Fault injection and workloads for the simulated lab (`corral sim ...`). Each injected fault is
 * journaled (FAULT_INJECTED), so the event log shows cause and effect side by side.
 */
public final class LabApi {
  private final SimDataCenter lab;
  private final Controller controller;

  public LabApi(SimDataCenter lab, Controller controller) {
    this.lab = lab;
    this.controller = controller;
  }

  void routes(Javalin a, ApiServer api) {
    String base = ApiServer.V1 + "/sim";
    api.get(a, base, Permission.MANAGE_LAB, ctx -> ApiServer.json(ctx, 200, api.call(this::status)));
    api.post(a, base + "/hosts/{name}/crash", Permission.MANAGE_LAB, ctx -> {
      String h = host(ctx.pathParam("name"));
      api.call(() -> fault(h, "crashed (power loss)", () -> lab.crashHost(h)));
      ApiServer.json(ctx, 200, api.call(this::status));
    });
    api.postBody(a, base + "/hosts/{name}/partition", Permission.MANAGE_LAB, ctx -> {
      String h = host(ctx.pathParam("name"));
      boolean on = flag(ApiJson.read(RequestGate.body(ctx), PartitionBody.class).enabled(), "enabled");
      api.call(() -> fault(h, on ? "network partitioned" : "partition healed", () -> lab.partitionHost(h, on)));
      ApiServer.json(ctx, 200, api.call(this::status));
    });
    api.postBody(a, base + "/hosts/{name}/bmc", Permission.MANAGE_LAB, ctx -> {
      String h = host(ctx.pathParam("name"));
      boolean reachable = flag(ApiJson.read(RequestGate.body(ctx), BmcBody.class).reachable(), "reachable");
      api.call(() -> fault(h, reachable ? "BMC reachable again" : "BMC unreachable", () -> lab.setBmcReachable(h, reachable)));
      ApiServer.json(ctx, 200, api.call(this::status));
    });
    api.postBody(a, base + "/hosts/{name}/storage", Permission.MANAGE_LAB, ctx -> {
      String h = host(ctx.pathParam("name"));
      boolean cut = flag(ApiJson.read(RequestGate.body(ctx), StorageBody.class).cut(), "cut");
      api.call(() -> fault(h, cut ? "storage cut: its leases are no longer renewed, they expire a lease time from now"
          : "storage reconnected: its leases are renewed again", () -> lab.cutStorage(h, cut)));
      ApiServer.json(ctx, 200, api.call(this::status));
    });
    api.postBody(a, base + "/hosts/{name}/libvirtd", Permission.MANAGE_LAB, ctx -> {
      String h = host(ctx.pathParam("name"));
      boolean running = flag(ApiJson.read(RequestGate.body(ctx), LibvirtdBody.class).running(), "running");
      api.call(() -> {
        SimHost sim = lab.host(h).orElseThrow();
        if (running && !sim.daemonDown()) {
          throw new ConflictException("libvirtd runs on " + h + "; stop it first with {\"running\": false}");
        }
        if (!running && (sim.daemonDown() || !sim.power().chassisOn() || sim.crashed())) {
          throw new ConflictException("libvirtd cannot stop on " + h + ": "
              + (sim.daemonDown() ? "it is already stopped" : "the host is " + (sim.crashed() ? "crashed" : "off")));
        }
        return fault(h, running ? "libvirtd started again on the host: its hypervisor answers, the guests untouched"
            : "libvirtd stopped: the hypervisor does not answer, the guests run on", running ? () -> lab.startHypervisor(h)
            : () -> lab.stopHypervisor(h));
      });
      ApiServer.json(ctx, 200, api.call(this::status));
    });
    api.postBody(a, base + "/vms/{name}/workload", Permission.MANAGE_LAB, ctx -> {
      String vm = ctx.pathParam("name");
      WorkloadModel m = workload(ApiJson.read(RequestGate.body(ctx), WorkloadBody.class));
      api.call(() -> {
        controller.state().requireVm(vm);
        lab.setWorkload(vm, m);
        return null;
      });
      ApiServer.json(ctx, 200, Map.of("vm", vm, "workload", m.toString()));
    });
    api.postBody(a, base + "/workload", Permission.MANAGE_LAB, ctx -> {
      WorkloadModel m = workload(ApiJson.read(RequestGate.body(ctx), WorkloadBody.class));
      int n = api.call(() -> {
        int count = 0;
        for (var vm : controller.state().vms()) {
          lab.setWorkload(vm.name(), m);
          count++;
        }
        return count;
      });
      ApiServer.json(ctx, 200, Map.of("vms", n, "workload", m.toString()));
    });
    api.postBody(a, base + "/vms/{name}/hang", Permission.MANAGE_LAB, ctx -> {
      String vm = ctx.pathParam("name");
      boolean hung = flag(ApiJson.read(RequestGate.body(ctx), HangBody.class).hung(), "hung");
      api.call(() -> {
        var v = controller.state().requireVm(vm);
        String on = v.host();
        if (on == null || v.state() != org.corral.model.vm.VmState.RUNNING) {
          throw new InvalidInputException("name", vm + " is " + v.state() + ", not running", "hang a VM that runs");
        }
        lab.hangGuest(on, vm, hung);
        controller.state().tx().journal(EntryKind.FAULT_INJECTED, SubjectKind.VM, vm, null, null, null,
            Cause.of(Origin.SIMULATOR, 0, "fault injection"), hung ? "the guest hangs: its guest agent is silent"
                : "the guest answers again").commit();
        return null;
      });
      ApiServer.json(ctx, 200, Map.of("vm", vm, "hung", hung));
    });
    api.postBody(a, base + "/vms/{name}/fail-migrations", Permission.MANAGE_LAB, ctx -> {
      String vm = ctx.pathParam("name");
      Integer c = ApiJson.read(RequestGate.body(ctx), FailMigrationsBody.class).count();
      if (c == null || c < 0 || c > 1000) {
        throw new InvalidInputException("count", "must be a whole number from 0 to 1000", "send {\"count\": 1}");
      }
      int count = c;
      api.call(() -> {
        controller.state().requireVm(vm);
        lab.failNextMigrations(vm, count);
        controller.state().tx().journal(EntryKind.FAULT_INJECTED, SubjectKind.VM, vm, null, null, null,
            Cause.of(Origin.SIMULATOR, 0, "fault injection"), "next " + count + " migration(s) will fail").commit();
        return null;
      });
      ApiServer.json(ctx, 200, Map.of("vm", vm, "failNextMigrations", count));
    });
  }

  private String host(String name) {
    if (lab.host(name).isEmpty()) {
      throw new NotFoundException("host", name);
    }
    return name;
  }

  private Void fault(String host, String what, Runnable inject) {
    inject.run();
    controller.state().tx().journal(EntryKind.FAULT_INJECTED, SubjectKind.HOST, host, null, null, null,
        Cause.of(Origin.SIMULATOR, 0, "fault injection"), what).commit();
    return null;
  }

  // Request bodies: records, so that unknown fields and wrong types are refused like everywhere else.
  record PartitionBody(@Nullable Boolean enabled) {}

  record BmcBody(@Nullable Boolean reachable) {}

  record StorageBody(@Nullable Boolean cut) {}

  record LibvirtdBody(@Nullable Boolean running) {}

  record FailMigrationsBody(@Nullable Integer count) {}

  record HangBody(@Nullable Boolean hung) {}

  record WorkloadBody(@Nullable Double constant, @Nullable List<StepBody> steps, @Nullable DiurnalBody diurnal) {}

  /** A working day: night and day utilisation (defaults 0.05 and 0.9). */
  record DiurnalBody(@Nullable Double night, @Nullable Double day) {}

  record StepBody(@Nullable Double atSeconds, @Nullable Double utilisation) {}

  private static boolean flag(@Nullable Boolean value, String name) {
    if (value == null) {
      throw new InvalidInputException(name, "is missing or not true/false", "send {\"" + name + "\": true}");
    }
    return value;
  }

  static WorkloadModel workload(WorkloadBody body) {
    int given = (body.constant() != null ? 1 : 0) + (body.steps() != null ? 1 : 0) + (body.diurnal() != null ? 1 : 0);
    if (given > 1) {
      throw new InvalidInputException("body", "has more than one of constant, steps and diurnal", "send one of them");
    }
    if (body.diurnal() != null) {
      double night = body.diurnal().night() != null ? body.diurnal().night() : 0.05;
      double day = body.diurnal().day() != null ? body.diurnal().day() : 0.9;
      return WorkloadModel.diurnal(night, day);
    }
    if (body.constant() != null) {
      return WorkloadModel.constant(body.constant());
    }
    if (body.steps() != null) {
      List<WorkloadModel.Level> levels = new ArrayList<>();
      for (int i = 0; i < body.steps().size(); i++) {
        StepBody s = body.steps().get(i);
        if (s == null || s.atSeconds() == null || s.utilisation() == null) {
          throw new InvalidInputException("steps[" + i + "]", "needs atSeconds and utilisation", "e.g. {\"atSeconds\": 0, \"utilisation\": 0.2}");
        }
        levels.add(new WorkloadModel.Level(Duration.ofMillis((long) (s.atSeconds() * 1000)), s.utilisation()));
      }
      return new WorkloadModel.Step(levels);
    }
    throw new InvalidInputException("body", "needs constant, steps or diurnal",
        "send {\"constant\": 0.5}, {\"steps\": [...]} or {\"diurnal\": {\"night\": 0.05, \"day\": 0.9}}");
  }

  private Map<String, Object> status() {
    List<Map<String, Object>> hosts = new ArrayList<>();
    for (SimHost h : lab.hosts()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", h.name());
      m.put("power", h.power().chassisOn() ? "ON" : "OFF");
      m.put("crashed", h.crashed());
      m.put("partitioned", h.partitioned());
      m.put("bmcReachable", h.bmcReachable());
      m.put("storageCut", h.storageCut());
      m.put("leases", lab.leaseStatus(h.name()).name());
      m.put("libvirtdStopped", h.daemonDown());
      m.put("domains", h.domainNames().size());
      m.put("energyJoules", Math.round(lab.energyJoules(h.name())));
      hosts.add(m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", lab.name());
    out.put("hosts", hosts);
    out.put("totalEnergyJoules", Math.round(lab.totalEnergyJoules()));
    return out;
  }
}
