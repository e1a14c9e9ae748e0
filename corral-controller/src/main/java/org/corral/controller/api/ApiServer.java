package org.corral.controller.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.corral.controller.Controller;
import org.corral.controller.command.HostRequest;
import org.corral.controller.command.VmRequest;
import org.corral.model.CorralException;
import org.corral.model.InvalidInputException;
import org.corral.model.NotFoundException;
import org.corral.model.host.Host;
import org.corral.model.image.Image;
import org.corral.model.network.Network;
import org.corral.model.plan.ActionStatus;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP server: routes of docs/api.md over one {@link Controller}. */
public final class ApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
  static final String V1 = "/api/v1";
  private static final java.util.concurrent.atomic.AtomicLong INCIDENTS = new java.util.concurrent.atomic.AtomicLong();
  private final Controller controller;
  private final PrometheusMeterRegistry metrics;
  private final EventStream events;
  private final LabApi lab;
  private final Map<String, Object> health;
  private final List<String> routes = new ArrayList<>();
  private Javalin app;

  /**
   * @param lab    routes for the simulated lab, or null when the controller runs none
   * @param health static facts for GET /health (version, store description, start time)
   */
  public ApiServer(Controller controller, PrometheusMeterRegistry metrics, LabApi lab, Map<String, Object> health) {
    this.controller = controller;
    this.metrics = metrics;
    this.events = new EventStream(controller.state());
    this.lab = lab;
    this.health = health;
  }

  /** Starts listening; returns the bound port (useful with port 0). */
  public int start(String host, int port) {
    app = Javalin.create(cfg -> {
      cfg.showJavalinBanner = false;
      cfg.useVirtualThreads = true;
    });
    app.exception(CorralException.class, (e, ctx) -> Problems.of(ctx, e));
    app.exception(Exception.class, (e, ctx) -> {
      // The detail names an incident id to find in the log, not the exception (no internals leak).
      String incident = Long.toString(INCIDENTS.incrementAndGet());
      LOG.error("{} {} failed (incident {})", ctx.method(), ctx.path(), incident, e);
      Problems.write(ctx, 500, "internal", "Internal error",
          "Corral could not complete the request; the controller log has the details under incident " + incident, null);
    });
    app.error(404, ctx -> {
      // Javalin answers an unknown route with its own text/plain body; only our problems are kept.
      String type = ctx.res().getContentType();
      if (type == null || !type.startsWith("application/problem+json")) {
        Problems.write(ctx, 404, "not-found", "Not found", "no route " + ctx.method() + " " + ctx.path() + "; see " + V1 + "/openapi.json", null);
      }
    });
    app.error(405, ctx -> Problems.write(ctx, 405, "method-not-allowed", "Method not allowed",
        ctx.method() + " is not allowed on " + ctx.path(), null));
    routes(app);
    try {
      app.start(host, port);
    } catch (RuntimeException e) {
      throw new InvalidInputException("api.listen", "cannot listen on " + host + ":" + port + ": " + rootMessage(e),
          "stop whatever uses the port, or choose another with --listen");
    }
    return app.port();
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  private void routes(Javalin a) {
    get(a, "/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
    get(a, V1 + "/health", this::health);
    get(a, V1 + "/openapi.json", ctx -> ctx.contentType("application/json").result(openApi()));

    get(a, V1 + "/hosts", ctx -> json(ctx, 200, call(() -> controller.state().hosts().stream()
        .map(h -> Views.host(h, controller.state())).toList())));
    get(a, V1 + "/hosts/{name}", ctx -> json(ctx, 200, call(() -> Views.host(controller.state().requireHost(ctx.pathParam("name")), controller.state()))));
    post(a, V1 + "/hosts", ctx -> {
      HostRequest req = ApiJson.read(ctx.body(), HostRequest.class);
      Host h = controller.callAsync(() -> controller.commands().addHost(req, who(ctx)), Duration.ofSeconds(60));
      json(ctx, 201, call(() -> Views.host(controller.state().requireHost(h.name()), controller.state())));
    });
    delete(a, V1 + "/hosts/{name}", ctx -> {
      call(() -> {
        controller.commands().removeHost(ctx.pathParam("name"), who(ctx));
        return null;
      });
      ctx.status(204);
    });
    post(a, V1 + "/hosts/{name}/maintenance", ctx -> {
      Map<?, ?> body = ApiJson.read(ctx.body(), Map.class);
      if (!(body.get("enabled") instanceof Boolean enabled)) {
        throw new InvalidInputException("enabled", "is missing or not true/false", "send {\"enabled\": true}");
      }
      hostResult(ctx, 200, call(() -> controller.commands().maintenance(ctx.pathParam("name"), enabled, who(ctx))));
    });
    post(a, V1 + "/hosts/{name}/power-on", ctx -> hostResult(ctx, 202, call(() -> controller.commands().powerOn(ctx.pathParam("name"), who(ctx)))));
    post(a, V1 + "/hosts/{name}/power-off", ctx -> hostResult(ctx, 202, call(() -> controller.commands().powerOff(ctx.pathParam("name"), who(ctx)))));
    post(a, V1 + "/hosts/{name}/check", ctx -> json(ctx, 200, controller.callAsync(
        () -> new org.corral.controller.command.HostChecker(controller).check(ctx.pathParam("name")), Duration.ofSeconds(90))));

    get(a, V1 + "/vms", ctx -> {
      String host = ctx.queryParam("host");
      VmState st = vmState(ctx.queryParam("state"));
      json(ctx, 200, call(() -> controller.state().vms().stream()
          .filter(v -> host == null || host.equals(v.host()))
          .filter(v -> st == null || v.state() == st)
          .map(Views::vm).toList()));
    });
    get(a, V1 + "/vms/{name}", ctx -> json(ctx, 200, call(() -> Views.vm(controller.state().requireVm(ctx.pathParam("name"))))));
    post(a, V1 + "/vms", ctx -> {
      VmRequest req = ApiJson.read(ctx.body(), VmRequest.class);
      json(ctx, 201, call(() -> Views.vm(controller.commands().createVm(req, who(ctx)))));
    });
    post(a, V1 + "/vms/{name}/start", ctx -> vmResult(ctx, 202, call(() -> controller.commands().startVm(ctx.pathParam("name"), who(ctx)))));
    post(a, V1 + "/vms/{name}/stop", ctx -> {
      boolean force = false;
      if (ctx.body() != null && !ctx.body().isBlank()) {
        Object f = ApiJson.read(ctx.body(), Map.class).get("force");
        if (f != null && !(f instanceof Boolean)) {
          throw new InvalidInputException("force", "must be true or false", "send {\"force\": true} to destroy at once");
        }
        force = Boolean.TRUE.equals(f);
      }
      boolean hard = force;
      vmResult(ctx, 202, call(() -> controller.commands().stopVm(ctx.pathParam("name"), hard, who(ctx))));
    });
    post(a, V1 + "/vms/{name}/migrate", ctx -> {
      Object to = ApiJson.read(ctx.body(), Map.class).get("to");
      if (to != null && !(to instanceof String)) {
        throw new InvalidInputException("to", "must be a host name", "send {\"to\": \"node2\"}");
      }
      vmResult(ctx, 202, call(() -> controller.commands().migrateVm(ctx.pathParam("name"), (String) to, who(ctx))));
    });
    post(a, V1 + "/vms/{name}/hold", ctx -> vmResult(ctx, 200, call(() -> controller.commands().holdVm(ctx.pathParam("name"), who(ctx)))));
    post(a, V1 + "/vms/{name}/release", ctx -> vmResult(ctx, 200, call(() -> controller.commands().releaseVm(ctx.pathParam("name"), who(ctx)))));
    delete(a, V1 + "/vms/{name}", ctx -> vmResult(ctx, 202, call(() -> controller.commands().deleteVm(ctx.pathParam("name"), who(ctx)))));

    get(a, V1 + "/networks", ctx -> json(ctx, 200, call(() -> controller.state().networks())));
    get(a, V1 + "/networks/{name}", ctx -> json(ctx, 200, call(() -> controller.state().network(ctx.pathParam("name"))
        .orElseThrow(() -> new NotFoundException("network", ctx.pathParam("name"))))));
    post(a, V1 + "/networks", ctx -> {
      Network n = ApiJson.read(ctx.body(), Network.class);
      json(ctx, 201, call(() -> controller.commands().createNetwork(n, who(ctx))));
    });
    delete(a, V1 + "/networks/{name}", ctx -> {
      call(() -> {
        controller.commands().deleteNetwork(ctx.pathParam("name"), who(ctx));
        return null;
      });
      ctx.status(204);
    });
    get(a, V1 + "/images", ctx -> json(ctx, 200, call(() -> controller.state().images())));
    get(a, V1 + "/images/{name}", ctx -> json(ctx, 200, call(() -> controller.state().image(ctx.pathParam("name"))
        .orElseThrow(() -> new NotFoundException("image", ctx.pathParam("name"))))));
    post(a, V1 + "/images", ctx -> {
      Image i = ApiJson.read(ctx.body(), Image.class);
      json(ctx, 201, call(() -> controller.commands().createImage(i, who(ctx))));
    });
    delete(a, V1 + "/images/{name}", ctx -> {
      call(() -> {
        controller.commands().deleteImage(ctx.pathParam("name"), who(ctx));
        return null;
      });
      ctx.status(204);
    });

    get(a, V1 + "/events", ctx -> json(ctx, 200, controller.state().store().journal(longParam(ctx, "after", 0),
        (int) Math.min(10_000, longParam(ctx, "limit", 1000)), ctx.queryParam("subject"))));
    routes.add("GET " + V1 + "/events/stream");
    a.sse(V1 + "/events/stream", events::attach);
    get(a, V1 + "/actions", ctx -> {
      String st = ctx.queryParam("status");
      ActionStatus filter = null;
      if (st != null) {
        try {
          filter = ActionStatus.valueOf(st.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw new InvalidInputException("status", "'" + st + "' is not an action status",
              "use one of QUEUED, RUNNING, SUCCEEDED, FAILED, REJECTED");
        }
      }
      ActionStatus f = filter;
      if (f != null && f.isFinal()) {
        // Finished actions live in the ledger (the store), newest first.
        int limit = (int) Math.min(10_000, longParam(ctx, "limit", 100));
        json(ctx, 200, controller.state().store().actions(f, limit).stream().map(Views::action).toList());
        return;
      }
      json(ctx, 200, call(() -> controller.executor().active().stream()
          .filter(r -> f == null || r.status() == f).map(Views::action).toList()));
    });
    get(a, V1 + "/plan", ctx -> json(ctx, 200, Views.recommendation(call(controller::recommend))));
    post(a, V1 + "/plan/apply", ctx -> {
      Object id = ApiJson.read(ctx.body(), Map.class).get("id");
      if (!(id instanceof String planId) || planId.isBlank()) {
        throw new InvalidInputException("id", "must be the id `corral plan` showed", "send {\"id\": \"1a2b3c4d\"}");
      }
      json(ctx, 202, Map.of("id", planId, "taken", call(() -> controller.applyPlan(planId, who(ctx)))));
    });
    get(a, V1 + "/optimizer", ctx -> json(ctx, 200, Views.optimizer(call(() -> controller.optimizer().settings()))));
    put(a, V1 + "/optimizer", ctx -> {
      var section = ApiJson.read(ctx.body(), com.fasterxml.jackson.databind.JsonNode.class);
      var s = org.corral.controller.config.ConfigReader.optimizer(section);
      json(ctx, 200, Views.optimizer(call(() -> controller.updateOptimizer(s, who(ctx)))));
    });
    get(a, V1 + "/energy", ctx -> json(ctx, 200, call(() -> controller.energy().report())));
    if (lab != null) {
      lab.routes(a, this);
    }
  }

  private void health(Context ctx) {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("status", "UP");
    h.putAll(health);
    h.putAll(call(() -> Map.of("hosts", controller.state().hosts().size(), "vms", controller.state().vms().size(),
        "actionsRunning", controller.executor().runningCount(), "actionsQueued", controller.executor().queuedCount())));
    json(ctx, 200, h);
  }

  <T> T call(java.util.function.Supplier<T> s) {
    return controller.call(s);
  }

  private void hostResult(Context ctx, int status, Host h) {
    json(ctx, status, call(() -> Views.host(controller.state().host(h.name()).orElse(h), controller.state())));
  }

  private void vmResult(Context ctx, int status, Vm v) {
    json(ctx, status, Views.vm(v));
  }

  static void json(Context ctx, int status, Object body) {
    ctx.status(HttpStatus.forStatus(status)).contentType("application/json").result(ApiJson.write(body));
  }

  /** Who asked: the X-Corral-User header the CLI sets, else "anonymous" (no authentication yet). */
  static String who(Context ctx) {
    String u = ctx.header("X-Corral-User");
    return u == null || u.isBlank() || !u.matches("[A-Za-z0-9._@-]{1,64}") ? "anonymous" : u;
  }

  /** ?state= of GET /vms: a misspelt state is an error, not an empty list that looks like "no such VMs". */
  private static VmState vmState(String text) {
    if (text == null) {
      return null;
    }
    try {
      return VmState.valueOf(text.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("state", "'" + text + "' is not a VM state", "use one of " + java.util.Arrays.toString(VmState.values()));
    }
  }

  private static long longParam(Context ctx, String name, long dflt) {
    String v = ctx.queryParam(name);
    if (v == null) {
      return dflt;
    }
    try {
      long l = Long.parseLong(v);
      if (l < 0) {
        throw new NumberFormatException();
      }
      return l;
    } catch (NumberFormatException e) {
      throw new InvalidInputException(name, "'" + v + "' is not a whole number ≥ 0", "e.g. ?" + name + "=" + dflt);
    }
  }

  private static String openApi() throws IOException {
    try (InputStream in = ApiServer.class.getResourceAsStream("/org/corral/controller/api/openapi.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Routes registered, as "METHOD path" (the OpenAPI test checks each is documented). */
  public List<String> routeList() {
    return List.copyOf(routes);
  }

  void get(Javalin a, String path, io.javalin.http.Handler h) {
    routes.add("GET " + path);
    a.get(path, h);
  }

  void post(Javalin a, String path, io.javalin.http.Handler h) {
    routes.add("POST " + path);
    a.post(path, h);
  }

  void put(Javalin a, String path, io.javalin.http.Handler h) {
    routes.add("PUT " + path);
    a.put(path, h);
  }

  void delete(Javalin a, String path, io.javalin.http.Handler h) {
    routes.add("DELETE " + path);
    a.delete(path, h);
  }

  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    events.close();
    if (app != null) {
      app.stop();
    }
  }
}
