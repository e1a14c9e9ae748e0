package org.corral.controller.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.corral.controller.Controller;
import org.corral.controller.auth.Permission;
import org.corral.controller.auth.Principal;
import org.corral.controller.config.ClusterSpecReader;
import org.corral.controller.loop.ClusterReconciler;
import org.corral.model.AccessDeniedException;
import org.corral.model.InvalidInputException;
import org.corral.model.NotFoundException;
import org.corral.model.cluster.Cluster;
import org.corral.model.cluster.ClusterDesire;
import org.corral.model.cluster.ClusterSpec;
import org.corral.model.cluster.Condition;
import org.corral.model.cluster.HookOutcome;
import org.corral.model.vm.Vm;
import org.corral.policy.cluster.ClusterPolicy;
import org.jspecify.annotations.Nullable;

/**
 * Virtual clusters (docs/virtual-clusters.md): apply and plan a spec (sent as JSON: the YAML file
 * converted, which `corral cluster apply -f` does), show, scale, stop, start, delete. A cluster is
 * its owner's: others see and change it as they would the owner's VMs.
 */
final class ClusterApi {
  private final Controller controller;
  private final ApiServer api;

  ClusterApi(Controller controller, ApiServer api) {
    this.controller = controller;
    this.api = api;
  }

  record ScaleBody(@Nullable String role, @Nullable Integer count) {}

  record MemberView(String name, String role, String state, @Nullable String host, @Nullable String address) {}

  record ClusterView(String name, String owner, String desire, Condition condition, Map<String, Condition> roles, Map<String, Integer> counts,
      List<MemberView> members, List<HookOutcome> hooks, List<String> history, Instant created, long version) {}

  record PlanView(List<String> create, List<String> actions, List<String> hooks, List<String> notes, Condition condition) {}

  private ClusterReconciler clusters() {
    return controller.clusters();
  }

  void routes(Javalin a) {
    String v1 = ApiServer.V1;
    api.get(a, v1 + "/clusters", Permission.READ_VMS, ctx -> {
      Principal p = RequestGate.principal(ctx);
      ApiServer.json(ctx, 200, api.call(() -> clusters().clusters().stream().filter(c -> api.allowed(p, Permission.READ_VMS, c.owner()))
          .map(this::view).toList()));
    });
    api.postBody(a, v1 + "/clusters", Permission.CREATE_VMS, ctx -> {
      ClusterSpec spec = ClusterSpecReader.parse(RequestGate.body(ctx), "body");
      Principal p = RequestGate.principal(ctx);
      ApiServer.json(ctx, 200, api.call(() -> {
        Cluster old = clusters().clusters().stream().filter(c -> c.name().equals(spec.name())).findFirst().orElse(null);
        if (old != null) {
          require(p, Permission.OPERATE_VMS, old.name());
        }
        return view(clusters().apply(spec, old != null ? old.owner() : p.name(), ApiServer.who(ctx)));
      }));
    });
    api.postBody(a, v1 + "/clusters/plan", Permission.CREATE_VMS, ctx -> {
      ClusterSpec spec = ClusterSpecReader.parse(RequestGate.body(ctx), "body");
      Principal p = RequestGate.principal(ctx);
      ApiServer.json(ctx, 200, api.call(() -> plan(clusters().preview(spec, p.name()))));
    });
    api.get(a, v1 + "/clusters/{name}", Permission.READ_VMS, ctx -> {
      Principal p = RequestGate.principal(ctx);
      ApiServer.json(ctx, 200, api.call(() -> view(require(p, Permission.READ_VMS, ctx.pathParam("name")))));
    });
    api.get(a, v1 + "/clusters/{name}/roles/{role}/metrics", Permission.READ_VMS, ctx -> {
      Principal p = RequestGate.principal(ctx);
      ApiServer.json(ctx, 200, api.call(() -> clusters().metrics(require(p, Permission.READ_VMS, ctx.pathParam("name")).name(), ctx.pathParam("role"))));
    });
    api.postBody(a, v1 + "/clusters/{name}/scale", Permission.OPERATE_VMS, ctx -> {
      ScaleBody b = ApiJson.read(RequestGate.body(ctx), ScaleBody.class);
      String role = b.role();
      Integer count = b.count();
      if (role == null || role.isBlank()) {
        throw new InvalidInputException("role", "is missing", "send {\"role\": \"compute\", \"count\": 5}");
      }
      if (count == null) {
        throw new InvalidInputException("count", "is missing", "send {\"role\": \"compute\", \"count\": 5}");
      }
      Principal p = RequestGate.principal(ctx);
      String name = ctx.pathParam("name");
      ApiServer.json(ctx, 202, api.call(() -> {
        require(p, Permission.OPERATE_VMS, name);
        return view(clusters().scale(name, role, count, ApiServer.who(ctx)));
      }));
    });
    desire(a, v1 + "/clusters/{name}/stop", ClusterDesire.STOPPED);
    desire(a, v1 + "/clusters/{name}/start", ClusterDesire.RUNNING);
    api.delete(a, v1 + "/clusters/{name}", Permission.OPERATE_VMS, ctx -> {
      Principal p = RequestGate.principal(ctx);
      String name = ctx.pathParam("name");
      ApiServer.json(ctx, 202, api.call(() -> {
        require(p, Permission.OPERATE_VMS, name);
        return view(clusters().desire(name, ClusterDesire.DELETED, ApiServer.who(ctx)));
      }));
    });
  }

  private void desire(Javalin a, String path, ClusterDesire d) {
    api.post(a, path, Permission.OPERATE_VMS, ctx -> {
      Principal p = RequestGate.principal(ctx);
      String name = ctx.pathParam("name");
      ApiServer.json(ctx, 202, api.call(() -> {
        require(p, Permission.OPERATE_VMS, name);
        return view(clusters().desire(name, d, ApiServer.who(ctx)));
      }));
    });
  }

  /** On the loop: the cluster if the user may do {@code what} to it; one the user may not see is "not found". */
  private Cluster require(Principal p, Permission what, String name) {
    Cluster c = clusters().clusters().stream().filter(x -> x.name().equals(name)).findFirst().orElse(null);
    if (c == null || !api.allowed(p, Permission.READ_VMS, c.owner())) {
      throw new NotFoundException("cluster", name);
    }
    if (!api.allowed(p, what, c.owner())) {
      throw new AccessDeniedException(AccessDeniedException.Reason.FORBIDDEN, "only the cluster's owner, its group or an administrator may do this");
    }
    return c;
  }

  private ClusterView view(Cluster c) {
    List<MemberView> members = new ArrayList<>();
    for (Vm vm : clusters().members(c.name())) {
      members.add(new MemberView(vm.name(), vm.spec().labels().getOrDefault(ClusterSpec.ROLE_LABEL, ""), vm.state().name(), vm.host(),
          vm.leases().isEmpty() ? null : vm.leases().get(0).ip()));
    }
    List<HookOutcome> hooks = c.hooks().values().stream().sorted(java.util.Comparator.comparing(HookOutcome::at).reversed()).limit(50).toList();
    return new ClusterView(c.name(), c.owner(), c.desire().name(), c.condition(), new LinkedHashMap<>(c.roles()), c.counts(), members, hooks,
        c.history(), c.created(), c.version());
  }

  private static PlanView plan(ClusterPolicy.Decision d) {
    return new PlanView(d.create().stream().map(m -> m.name() + " (" + m.role() + ", " + m.spec().cpus() + " vCPUs, " + m.spec().memoryMib() + " MiB)").toList(),
        d.plan().actions().stream().map(x -> x.verb() + " " + x.subject() + ": " + x.cause().reason()).toList(),
        d.hooks().stream().map(h -> h.event().yaml() + " on " + h.target() + ": " + String.join(" ", h.command())).toList(),
        d.plan().notes(), d.condition());
  }
}
