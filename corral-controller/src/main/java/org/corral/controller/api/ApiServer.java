package org.corral.controller.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.corral.controller.Controller;
import org.corral.controller.auth.AccessPolicy;
import org.corral.controller.auth.Permission;
import org.corral.controller.auth.Principal;
import org.corral.controller.command.HostRequest;
import org.corral.controller.command.VmRequest;
import org.corral.controller.state.ControllerState;
import org.corral.model.AccessDeniedException;
import org.corral.model.CorralException;
import org.corral.model.auth.User;
import org.corral.model.InvalidInputException;
import org.corral.model.NotFoundException;
import org.corral.model.host.Host;
import org.corral.model.image.Image;
import org.corral.model.network.Network;
import org.corral.model.plan.ActionStatus;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmState;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.FilterHolder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP server: routes of docs/api.md over one {@link Controller}. */
public final class ApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
  static final String V1 = "/api/v1";
  /** Request line and headers together; longer gets 414 or 431 (problem+json, from {@link JettyProblems}). */
  static final int MAX_HEADER_BYTES = 8 * 1024;
  private static final String JSON = "application/json;charset=utf-8";
  private static final java.util.concurrent.atomic.AtomicLong INCIDENTS = new java.util.concurrent.atomic.AtomicLong();
  private final Controller controller;
  private final PrometheusMeterRegistry metrics;
  private final EventStream events;
  private final @Nullable LabApi lab;
  private final Map<String, Object> health;
  private final ApiSettings settings;
  private @Nullable RequestGate gate;
  private @Nullable Javalin app;

  /**
   * @param lab      routes for the simulated lab, or null when the controller runs none
   * @param health   static facts for GET /health (version, store description, start time)
   * @param settings who may call the API (Host names, origins) and the read timeout
   */
  public ApiServer(Controller controller, PrometheusMeterRegistry metrics, @Nullable LabApi lab, Map<String, Object> health,
      ApiSettings settings) {
    this.controller = controller;
    this.metrics = metrics;
    this.events = new EventStream(controller.state(), settings.eventBacklog());
    this.lab = lab;
    this.health = health;
    this.settings = settings;
  }

  /** Starts listening; returns the bound port (useful with port 0). */
  public int start(String host, int port) {
    RequestGate g = new RequestGate(settings, host, controller.clock(), controller.accounts());
    gate = g;
    ApiSettings.Tls tls = settings.tls();
    java.security.KeyStore keys = tls == null ? null : TlsFiles.keyStore(tls);
    Javalin a = Javalin.create(cfg -> {
      if (keys != null) {
        TlsFiles.https(cfg, keys, host, port);
      }
      cfg.showJavalinBanner = false;
      cfg.useVirtualThreads = true;
      cfg.jetty.modifyHttpConfiguration(http -> http.setRequestHeaderSize(MAX_HEADER_BYTES));
      cfg.jetty.modifyServer(server -> server.setErrorHandler(new JettyProblems()));
      cfg.jetty.modifyServletContextHandler(context -> {
        context.setErrorHandler(new JettyProblems());
        context.addFilter(new FilterHolder(new RequestGate.PathEncodingFilter()), "/*", EnumSet.of(DispatcherType.REQUEST));
      });
    });
    app = a;
    a.before(ctx -> g.check(ctx));
    a.exception(CorralException.class, (e, ctx) -> Problems.of(ctx, e));
    a.exception(HttpProblem.class, (e, ctx) -> Problems.write(ctx, e));
    a.exception(HttpResponseException.class, (e, ctx) -> Problems.write(ctx, e.getStatus(), Problems.typeFor(e.getStatus()),
        HttpStatus.forStatus(e.getStatus()).getMessage(), e.getMessage(), null));
    a.exception(Exception.class, (e, ctx) -> {
      // The detail names an incident id to find in the log, not the exception (no internals leak).
      String incident = Long.toString(INCIDENTS.incrementAndGet());
      LOG.error("{} {} failed (incident {})", ctx.method(), ctx.path(), incident, e);
      Problems.write(ctx, 500, "internal", "Internal error",
          "Corral could not complete the request; the controller log has the details under incident " + incident, null);
    });
    // The gate answers unknown routes and methods; Javalin's own text/plain answers are replaced.
    a.error(404, ctx -> keepProblem(ctx, 404, "not-found", "Not found"));
    a.error(405, ctx -> keepProblem(ctx, 405, "method-not-allowed", "Method not allowed"));
    routes(a);
    try {
      if (keys != null) {
        a.start();
      } else {
        a.start(host, port);
      }
    } catch (RuntimeException e) {
      throw new InvalidInputException("api.listen", "cannot listen on " + host + ":" + port + ": " + rootMessage(e),
          "stop whatever uses the port, or choose another with --listen");
    }
    for (Connector c : a.jettyServer().server().getConnectors()) {
      if (c instanceof ServerConnector s) {
        s.setIdleTimeout(settings.readTimeout().toMillis());
      }
    }
    return a.port();
  }

  private static void keepProblem(Context ctx, int status, String type, String title) {
    String contentType = ctx.res().getContentType();
    if (contentType == null || !contentType.startsWith("application/problem+json")) {
      Problems.write(ctx, status, type, title, "no route " + ctx.method() + " " + InvalidInputException.quote(ctx.path())
          + "; see " + V1 + "/openapi.json", null);
    }
  }

  private static @Nullable String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  // Bodies of the routes that take one: records, so that unknown fields and wrong types are refused.
  record MaintenanceBody(@Nullable Boolean enabled) {}

  record StopBody(@Nullable Boolean force) {}

  record MigrateBody(@Nullable String to) {}

  record PlanApplyBody(@Nullable String id) {}

  record GroupBody(@Nullable String automation) {}

  /** How long GET /plan waits for a fresh plan from a busy loop before it shows the last one. */
  static final Duration PLAN_WAIT = Duration.ofSeconds(1);

  /** {labels} of /optimizer/groups/{labels}: KEY=VALUE[,KEY=VALUE], or "default" (no labels: hosts in no group). */
  static Map<String, String> groupLabels(String text) {
    return text.equals("default") ? Map.of() : org.corral.model.Labels.parse("labels", text);
  }

  private void routes(Javalin a) {
    get(a, "/metrics", Permission.READ_METRICS, ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
    get(a, V1 + "/health", Permission.READ_SERVICE, this::health);
    get(a, V1 + "/openapi.json", Permission.READ_SERVICE, ctx -> ctx.contentType(JSON).result(openApi()));

    // Host reads, like VM reads, come from the published state and the last observations: no hop onto the loop.
    get(a, V1 + "/hosts", Permission.READ_HOSTS, ctx -> {
      var published = controller.state().published();
      json(ctx, 200, published.hosts().values().stream().map(h -> Views.publishedHost(h, published, controller.state())).toList());
    });
    get(a, V1 + "/hosts/{name}", Permission.READ_HOSTS, ctx -> {
      var published = controller.state().published();
      Host h = published.hosts().get(ctx.pathParam("name"));
      if (h == null) {
        throw new NotFoundException("host", ctx.pathParam("name"));
      }
      json(ctx, 200, Views.publishedHost(h, published, controller.state()));
    });
    postBody(a, V1 + "/hosts", Permission.MANAGE_HOSTS, ctx -> {
      HostRequest req = ApiJson.read(RequestGate.body(ctx), HostRequest.class);
      Host h = controller.callAsync(() -> controller.commands().addHost(req, who(ctx)), Duration.ofSeconds(60));
      json(ctx, 201, call(() -> Views.host(controller.state().requireHost(h.name()), controller.state())));
    });
    delete(a, V1 + "/hosts/{name}", Permission.MANAGE_HOSTS, ctx -> {
      call(() -> {
        controller.commands().removeHost(ctx.pathParam("name"), who(ctx));
        return null;
      });
      ctx.status(204);
    });
    postBody(a, V1 + "/hosts/{name}/maintenance", Permission.MANAGE_HOSTS, ctx -> {
      Boolean enabled = ApiJson.read(RequestGate.body(ctx), MaintenanceBody.class).enabled();
      if (enabled == null) {
        throw new InvalidInputException("enabled", "is missing or not true/false", "send {\"enabled\": true}");
      }
      hostResult(ctx, 200, call(() -> controller.commands().maintenance(ctx.pathParam("name"), enabled, who(ctx))));
    });
    post(a, V1 + "/hosts/{name}/power-on", Permission.MANAGE_HOSTS, ctx -> hostResult(ctx, 202, call(() -> controller.commands().powerOn(ctx.pathParam("name"), who(ctx)))));
    post(a, V1 + "/hosts/{name}/confirm-off", Permission.MANAGE_HOSTS, ctx -> hostResult(ctx, 200, call(() -> controller.guardian().confirmOff(ctx.pathParam("name"), who(ctx)))));
    post(a, V1 + "/hosts/{name}/power-off", Permission.MANAGE_HOSTS, ctx -> hostResult(ctx, 202, call(() -> controller.commands().powerOff(ctx.pathParam("name"), who(ctx)))));
    post(a, V1 + "/hosts/{name}/check", Permission.MANAGE_HOSTS, ctx -> json(ctx, 200, controller.callAsync(
        () -> new org.corral.controller.command.HostChecker(controller).check(ctx.pathParam("name")), Duration.ofSeconds(90))));

    // VM reads come from the published state: they never wait for the loop, and a page of 50
    // costs what 50 cost however many VMs there are (Pages).
    get(a, V1 + "/vms", Permission.READ_VMS, Set.of("host", "state", "owner", "label", "q", "services", "after", "limit"), ctx -> {
      String host = ctx.queryParam("host");
      Principal p = RequestGate.principal(ctx);
      java.util.function.Predicate<Vm> asked = vmFilter(ctx);
      java.util.function.Predicate<Vm> filter = p.isAdmin() ? asked : v -> asked.test(v) && allowed(p, Permission.READ_VMS, v.owner());
      String after = ctx.queryParam("after");
      int limit = Pages.limit(ctx);
      var published = controller.state().published();
      Pages.Page<Vm> page = host != null
          ? Pages.ofNames(published.vmNamesOn(host), published.vms(), after, limit, filter)
          : Pages.of(published.vms(), after, limit, filter);
      Pages.answer(ctx, page, v -> publishedView((Vm) v));
    });
    get(a, V1 + "/vms/{name}", Permission.READ_VMS, ctx -> {
      Vm v = controller.state().published().vms().get(ctx.pathParam("name"));
      if (v == null || !allowed(RequestGate.principal(ctx), Permission.READ_VMS, v.owner())) {
        throw new NotFoundException("vm", ctx.pathParam("name"));
      }
      json(ctx, 200, publishedView(v));
    });
    postBody(a, V1 + "/vms", Permission.CREATE_VMS, ctx -> {
      String body = RequestGate.body(ctx);
      if (body.stripLeading().startsWith("[")) {
        // A list: all or nothing, admitted in one step on the loop and written in one batch.
        List<VmRequest> reqs = java.util.Arrays.asList(ApiJson.read(body, VmRequest[].class));
        json(ctx, 201, call(() -> controller.commands().createVms(reqs, owner(ctx), who(ctx)).stream().map(this::view).toList()));
        return;
      }
      VmRequest req = ApiJson.read(body, VmRequest.class);
      vmResult(ctx, 201, () -> controller.commands().createVm(req, owner(ctx), who(ctx)));
    });
    post(a, V1 + "/vms/{name}/start", Permission.OPERATE_VMS, ctx -> vmResult(ctx, 202, Permission.OPERATE_VMS,
        name -> controller.commands().startVm(name, who(ctx))));
    postBody(a, V1 + "/vms/{name}/stop", Permission.OPERATE_VMS, ctx -> {
      String body = RequestGate.body(ctx);
      boolean force = !body.isBlank() && Boolean.TRUE.equals(ApiJson.read(body, StopBody.class).force());
      vmResult(ctx, 202, Permission.OPERATE_VMS, name -> controller.commands().stopVm(name, force, who(ctx)));
    });
    post(a, V1 + "/vms/{name}/reboot", Permission.OPERATE_VMS, ctx -> vmResult(ctx, 202, Permission.OPERATE_VMS,
        name -> controller.commands().rebootVm(name, who(ctx))));
    postBody(a, V1 + "/vms/{name}/migrate", Permission.MIGRATE_VMS, ctx -> {
      String to = ApiJson.read(RequestGate.body(ctx), MigrateBody.class).to();
      vmResult(ctx, 202, Permission.MIGRATE_VMS, name -> controller.commands().migrateVm(name, to, who(ctx)));
    });
    post(a, V1 + "/vms/{name}/hold", Permission.OPERATE_VMS, ctx -> vmResult(ctx, 200, Permission.OPERATE_VMS,
        name -> controller.commands().holdVm(name, who(ctx))));
    post(a, V1 + "/vms/{name}/release", Permission.OPERATE_VMS, ctx -> vmResult(ctx, 200, Permission.OPERATE_VMS,
        name -> controller.commands().releaseVm(name, who(ctx))));
    delete(a, V1 + "/vms/{name}", Permission.OPERATE_VMS, ctx -> vmResult(ctx, 202, Permission.OPERATE_VMS,
        name -> controller.commands().deleteVm(name, who(ctx))));

    // The catalogue, like hosts and VMs, is read from the published state: no hop onto the loop.
    get(a, V1 + "/networks", Permission.READ_CATALOG, ctx -> json(ctx, 200, controller.state().published().networks().values()));
    get(a, V1 + "/networks/{name}", Permission.READ_CATALOG, ctx -> json(ctx, 200, java.util.Optional.ofNullable(
        controller.state().published().networks().get(ctx.pathParam("name")))
        .orElseThrow(() -> new NotFoundException("network", ctx.pathParam("name")))));
    postBody(a, V1 + "/networks", Permission.MANAGE_CATALOG, ctx -> {
      Network n = ApiJson.read(RequestGate.body(ctx), Network.class);
      json(ctx, 201, call(() -> controller.commands().createNetwork(n, who(ctx))));
    });
    delete(a, V1 + "/networks/{name}", Permission.MANAGE_CATALOG, ctx -> {
      call(() -> {
        controller.commands().deleteNetwork(ctx.pathParam("name"), who(ctx));
        return null;
      });
      ctx.status(204);
    });
    get(a, V1 + "/images", Permission.READ_CATALOG, ctx -> json(ctx, 200, controller.state().published().images().values()));
    get(a, V1 + "/images/{name}", Permission.READ_CATALOG, ctx -> json(ctx, 200, java.util.Optional.ofNullable(
        controller.state().published().images().get(ctx.pathParam("name")))
        .orElseThrow(() -> new NotFoundException("image", ctx.pathParam("name")))));
    postBody(a, V1 + "/images", Permission.MANAGE_CATALOG, ctx -> {
      Image i = ApiJson.read(RequestGate.body(ctx), Image.class);
      json(ctx, 201, call(() -> controller.commands().createImage(i, who(ctx))));
    });
    delete(a, V1 + "/images/{name}", Permission.MANAGE_CATALOG, ctx -> {
      call(() -> {
        controller.commands().deleteImage(ctx.pathParam("name"), who(ctx));
        return null;
      });
      ctx.status(204);
    });

    get(a, V1 + "/events", Permission.READ_EVENTS, Set.of("after", "limit", "subject", "last"), ctx -> {
      String subject = ctx.queryParam("subject");
      if (ctx.queryParam("last") != null) {
        // The newest N, oldest first: the last page costs one page however long the journal is.
        if (ctx.queryParam("after") != null || ctx.queryParam("limit") != null) {
          throw new InvalidInputException("last", "cannot be combined with after or limit",
              "ask for ?last=N (the newest N entries), or page from ?after=SEQ&limit=N");
        }
        json(ctx, 200, controller.state().store().journalTail((int) Math.min(10_000, longParam(ctx, "last", 100)), subject)
            .stream().filter(eventFilter(ctx)).toList());
        return;
      }
      // A developer's page holds only their entries: it may be shorter than limit; page on by seq.
      json(ctx, 200, controller.state().store().journal(longParam(ctx, "after", 0),
          (int) Math.min(10_000, longParam(ctx, "limit", 1000)), subject).stream().filter(eventFilter(ctx)).toList());
    });
    get(a, V1 + "/events/stream", Permission.READ_EVENTS, Set.of("after"), ctx -> events.open(ctx, eventFilter(ctx)));
    get(a, V1 + "/actions", Permission.READ_OPERATIONS, Set.of("status", "limit"), ctx -> {
      String st = ctx.queryParam("status");
      ActionStatus filter = null;
      if (st != null) {
        try {
          filter = ActionStatus.valueOf(st.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw new InvalidInputException("status", InvalidInputException.quote(st) + " is not an action status",
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
    // The plan as last published: current when nothing changed since; else one loop pass waited
    // for at most PLAN_WAIT, after which the last plan is shown, saying it may not be current.
    get(a, V1 + "/plan", Permission.READ_OPERATIONS, ctx -> {
      var shown = controller.shownPlan(PLAN_WAIT).orElseThrow(() -> new HttpProblem(503, "busy", "Service unavailable",
          "the controller has not made its first plan yet; ask again in a few seconds"));
      json(ctx, 200, Views.recommendation(shown.recommendation(), shown.current()));
    });
    postBody(a, V1 + "/plan/apply", Permission.MANAGE_OPERATIONS, ctx -> {
      String planId = ApiJson.read(RequestGate.body(ctx), PlanApplyBody.class).id();
      if (planId == null || planId.isBlank()) {
        throw new InvalidInputException("id", "must be the id `corral plan` showed", "send {\"id\": \"1a2b3c4d\"}");
      }
      json(ctx, 202, Map.of("id", planId, "taken", call(() -> controller.applyPlan(planId, who(ctx)))));
    });
    get(a, V1 + "/optimizer", Permission.READ_OPERATIONS, ctx -> json(ctx, 200, Views.optimizer(controller.optimizer().settings())));
    putBody(a, V1 + "/optimizer", Permission.MANAGE_OPERATIONS, ctx -> {
      var section = ApiJson.read(RequestGate.body(ctx), com.fasterxml.jackson.databind.JsonNode.class);
      var s = org.corral.controller.config.ConfigReader.optimizer(section);
      json(ctx, 200, Views.optimizer(call(() -> controller.updateOptimizer(s, who(ctx)))));
    });
    // One host group's automation level (or the default's, under the name "default"): a partial
    // update, where PUT replaces every setting.
    patchBody(a, V1 + "/optimizer/groups/{labels}", Permission.MANAGE_OPERATIONS, ctx -> {
      var labels = groupLabels(ctx.pathParam("labels"));
      String level = ApiJson.read(RequestGate.body(ctx), GroupBody.class).automation();
      if (level == null) {
        throw new InvalidInputException("automation", "is missing", "send {\"automation\": \"full\"} (off, recommend, partial or full)");
      }
      var automation = org.corral.controller.config.ConfigReader.automation("automation", level);
      json(ctx, 200, Views.optimizer(call(() -> controller.setOptimizerLevel(labels, automation, who(ctx)))));
    });
    delete(a, V1 + "/optimizer/groups/{labels}", Permission.MANAGE_OPERATIONS, ctx -> {
      var labels = groupLabels(ctx.pathParam("labels"));
      if (labels.isEmpty()) {
        throw new InvalidInputException("labels", "the default level cannot be removed", "set it with PATCH /optimizer/groups/default");
      }
      json(ctx, 200, Views.optimizer(call(() -> controller.removeOptimizerGroup(labels, who(ctx)))));
    });
    // Energy as of the meter's last tick (published): no hop onto the loop.
    get(a, V1 + "/energy", Permission.READ_OPERATIONS, ctx -> json(ctx, 200, controller.energy().published()));
    get(a, V1 + "/energy/today", Permission.READ_OPERATIONS, ctx -> json(ctx, 200, Views.today(controller.energy().today())));
    get(a, V1 + "/notifications", Permission.READ_OPERATIONS, ctx -> json(ctx, 200, controller.notifier().recent()));
    // An action's key holds slashes (migrate/web1/7), hence <key>; finished actions come from the ledger.
    get(a, V1 + "/actions/<key>", Permission.READ_OPERATIONS, ctx -> {
      String key = ctx.pathParam("key");
      json(ctx, 200, call(() -> controller.executor().active().stream().filter(r -> r.key().equals(key)).findFirst()
          .or(() -> controller.state().store().action(key)).map(Views::action)
          .orElseThrow(() -> new NotFoundException("action", key, "`corral actions` lists those in progress"))));
    });
    get(a, V1 + "/trends", Permission.READ_OPERATIONS, Set.of("host", "vm", "last"), this::trends);
    new AccountsApi(controller, this).routes(a);
    new Dashboard().routes(a);
    new ClusterApi(controller, this).routes(a);
    if (lab != null) {
      lab.routes(a, this);
    }
  }

  /**
   * GET /trends: the last ?last=N (default 360) samples of the data centre's power, hosts on, CPU
   * and migrations, or with ?host= of one host's CPU, memory and power, or with ?vm= of one VM's
   * CPU (the few polls the Monitor keeps). Published series: no hop
   * onto the loop, and the answer costs N whatever the number of hosts.
   */
  private void trends(Context ctx) {
    int n = (int) Math.min(org.corral.controller.energy.Trends.CAPACITY, longParam(ctx, "last", 360));
    var t = controller.energy().trends();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("period", controller.settings().monitorPeriod().toString());
    String host = ctx.queryParam("host");
    String vm = ctx.queryParam("vm");
    if (vm != null) {
      // A VM's own CPU as the Monitor keeps it (the last polls on its current host, no times of their
      // own): the times are the last poll's, a monitor period apart.
      Vm v = controller.state().published().vms().get(vm);
      if (v == null) {
        throw new NotFoundException("vm", vm);
      }
      String on = v.host();
      var seen = on == null ? null : controller.state().publishedVmObservation(on, vm);
      double[] cpu = new double[0];
      List<Double> times = new java.util.ArrayList<>();
      if (seen != null) {
        cpu = org.corral.controller.energy.Trends.last(seen.cpu(), n);
        long period = controller.settings().monitorPeriod().toMillis();
        for (int i = 0; i < cpu.length; i++) {
          times.add((double) (seen.observedAt().toEpochMilli() - (cpu.length - 1 - i) * period));
        }
      }
      out.put("vm", vm);
      out.put("host", v.host());
      out.put("times", times);
      out.put("cpu", java.util.Arrays.stream(cpu).boxed().toList());
      json(ctx, 200, out);
      return;
    }
    if (host != null) {
      var s = t.host(host);
      if (s == null) {
        throw new NotFoundException("host", host);
      }
      out.put("host", host);
      out.put("times", org.corral.controller.energy.Trends.lastList(s.times(), n));
      out.put("cpu", org.corral.controller.energy.Trends.lastList(s.cpu(), n));
      out.put("memory", org.corral.controller.energy.Trends.lastList(s.memory(), n));
      out.put("watts", org.corral.controller.energy.Trends.lastList(s.watts(), n));
    } else {
      var s = t.totals();
      out.put("times", org.corral.controller.energy.Trends.lastList(s.times(), n));
      out.put("watts", org.corral.controller.energy.Trends.lastList(s.watts(), n));
      out.put("hostsOn", org.corral.controller.energy.Trends.lastList(s.hostsOn(), n));
      out.put("cpu", org.corral.controller.energy.Trends.lastList(s.cpu(), n));
      out.put("migrating", org.corral.controller.energy.Trends.lastList(s.migrating(), n));
      out.put("migrations", org.corral.controller.energy.Trends.lastList(s.migrations(), n));
    }
    json(ctx, 200, out);
  }

  private void health(Context ctx) {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("status", "UP");
    h.putAll(health);
    h.putAll(counts(controller.state().published()));
    h.put("actionsRunning", controller.executor().publishedRunningCount());
    h.put("actionsQueued", controller.executor().publishedQueuedCount());
    json(ctx, 200, h);
  }

  /** Hosts and VMs counted by state, from a published version (no pass over the VMs, no hop onto the loop for them). */
  static Map<String, Object> counts(ControllerState.Published published) {
    Map<String, Integer> hostStates = new java.util.TreeMap<>();
    published.hosts().values().forEach(x -> hostStates.merge(x.state().name(), 1, Integer::sum));
    Map<String, Integer> vmStates = new java.util.TreeMap<>();
    published.vmsByState().forEach((state, n) -> vmStates.put(state.name(), n));
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("hosts", published.hosts().size());
    h.put("hostsByState", hostStates);
    h.put("vms", published.vms().size());
    h.put("vmsByState", vmStates);
    return h;
  }

  <T> T call(java.util.function.Supplier<T> s) {
    return controller.call(s);
  }

  private void hostResult(Context ctx, int status, Host h) {
    json(ctx, status, call(() -> Views.host(controller.state().host(h.name()).orElse(h), controller.state())));
  }

  /** Runs a VM creation on the loop and answers the VM as it is then. */
  private void vmResult(Context ctx, int status, java.util.function.Supplier<Vm> command) {
    json(ctx, status, call(() -> view(command.get())));
  }

  /**
   * Runs a command on VM {name} on the loop, once the request's user is found allowed to do
   * {@code what} to it, and answers the VM as it is then, with the action it started.
   */
  private void vmResult(Context ctx, int status, Permission what, java.util.function.Function<String, Vm> command) {
    Principal p = RequestGate.principal(ctx);
    String name = ctx.pathParam("name");
    json(ctx, status, call(() -> {
      requireVm(p, what, name);
      return view(command.apply(name));
    }));
  }

  /** The owner of what the request creates: the authenticated user (or the one an admin acts as). */
  static String owner(Context ctx) {
    return RequestGate.principal(ctx).name();
  }

  /** Off the loop: the VM with the key of its action in flight as last published. */
  private Views.VmView publishedView(Vm v) {
    return Views.vm(v, controller.executor().publishedKey(v.name()).orElse(null), controller.services().published(v.name()));
  }

  /**
   * ?state=, ?owner=, ?label=KEY or KEY=VALUE, ?q= (part of the name) and ?services=true (VMs that
   * declare service checks) of GET /vms, checked, as one predicate.
   */
  static java.util.function.Predicate<Vm> vmFilter(Context ctx) {
    VmState st = vmState(ctx.queryParam("state"));
    String services = ctx.queryParam("services");
    if (services != null && !services.equals("true") && !services.equals("false")) {
      throw new InvalidInputException("services", InvalidInputException.quote(services) + " is not true or false",
          "write ?services=true for the VMs that declare service checks");
    }
    Boolean withServices = services == null ? null : Boolean.valueOf(services);
    String owner = ctx.queryParam("owner");
    String label = ctx.queryParam("label");
    String q = ctx.queryParam("q");
    String part = q == null || q.isBlank() ? null : q.strip().toLowerCase(Locale.ROOT);
    String key;
    String value;
    if (label == null) {
      key = null;
      value = null;
    } else {
      int eq = label.indexOf('=');
      key = eq < 0 ? label : label.substring(0, eq);
      value = eq < 0 ? null : label.substring(eq + 1);
      if (key.isEmpty()) {
        throw new InvalidInputException("label", InvalidInputException.quote(label) + " has no key",
            "write ?label=KEY to match VMs with the label, or ?label=KEY=VALUE");
      }
    }
    return v -> (st == null || v.state() == st)
        && (withServices == null || withServices != v.spec().services().isEmpty())
        && (part == null || v.name().toLowerCase(Locale.ROOT).contains(part))
        && (owner == null || owner.equals(v.owner()))
        && (key == null || (value == null ? v.spec().labels().containsKey(key) : value.equals(v.spec().labels().get(key))));
  }

  /** On the loop: the VM with the key of its action in flight, if any. */
  private Views.VmView view(Vm v) {
    return Views.vm(v, controller.executor().activeKey(v.name()).orElse(null), controller.services().published(v.name()));
  }

  /** Every JSON answer goes out here, in UTF-8 and saying so. */
  static void json(Context ctx, int status, Object body) {
    ctx.status(HttpStatus.forStatus(status)).contentType(JSON).result(ApiJson.write(body));
  }

  /** Who asked, as the journal names it: the user, or "admin as alice" (X-Corral-User). */
  static String who(Context ctx) {
    return RequestGate.principal(ctx).actor();
  }

  /**
   * Whether the request's user may do {@code what} to an object owned by {@code owner}: the
   * owner's group comes from the state, the decision from {@link AccessPolicy}.
   */
  boolean allowed(Principal p, Permission what, @Nullable String owner) {
    return allowed(controller.state(), p, what, owner);
  }

  /** {@link #allowed(Principal, Permission, String)} with the owner's group from {@code state} (a follower's read of the store). */
  static boolean allowed(ControllerState state, Principal p, Permission what, @Nullable String owner) {
    String ownerGroup = owner == null ? null : state.user(owner).map(User::group).orElse(null);
    return AccessPolicy.allows(p.role(), what, AccessPolicy.relation(p, owner, ownerGroup));
  }

  /**
   * On the loop: the VM {@code name} if the request's user may do {@code what} to it. A VM the
   * user may not even see is "not found", so that names of other users' VMs do not leak.
   */
  private Vm requireVm(Principal p, Permission what, String name) {
    Vm v = controller.state().vm(name).orElse(null);
    if (v == null || !allowed(p, Permission.READ_VMS, v.owner())) {
      throw new NotFoundException("vm", name);
    }
    if (!allowed(p, what, v.owner())) {
      throw new AccessDeniedException(AccessDeniedException.Reason.FORBIDDEN, "only an administrator may do this to a VM"
          + " (" + what.name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")");
    }
    return v;
  }

  /** Journal entries the request's user may see: all for administrators, else those about VMs they can see. */
  java.util.function.Predicate<org.corral.model.journal.JournalEntry> eventFilter(Context ctx) {
    return eventFilter(controller.state(), RequestGate.principal(ctx));
  }

  /**
   * The journal entries {@code p} may read: all of them for an administrator; for a developer,
   * those of the VMs they (or their group) own, judged against the published view. An entry above
   * {@link ControllerState#publishedSeq()} is in the store before that view is published (its VM
   * not there yet): it is left out rather than judged too early, and shows once published, so a
   * reader paging on by the last seq it got never steps over it.
   */
  static java.util.function.Predicate<org.corral.model.journal.JournalEntry> eventFilter(ControllerState state, Principal p) {
    if (p.isAdmin()) {
      return e -> true;
    }
    return e -> {
      if (e.subjectKind() != org.corral.model.journal.SubjectKind.VM || e.subject() == null) {
        return false;
      }
      // The seq first, then the view: a view read after it shows every entry up to it.
      if (e.seq() > state.publishedSeq()) {
        return false;
      }
      Vm v = state.published().vms().get(e.subject());
      return v != null && allowed(state, p, Permission.READ_EVENTS, v.owner());
    };
  }

  /** ?state= of GET /vms: a misspelt state is an error, not an empty list that looks like "no such VMs". */
  private static @Nullable VmState vmState(@Nullable String text) {
    if (text == null) {
      return null;
    }
    try {
      return VmState.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("state", InvalidInputException.quote(text) + " is not a VM state",
          "use one of " + java.util.Arrays.toString(VmState.values()));
    }
  }

  static long longParam(Context ctx, String name, long dflt) {
    return longParam(name, ctx.queryParam(name), dflt);
  }

  /** A whole number ≥ 0 from a query parameter or header, {@code dflt} when absent. */
  static long longParam(String name, @Nullable String v, long dflt) {
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
      throw new InvalidInputException(name, InvalidInputException.quote(v) + " is not a whole number ≥ 0", "e.g. ?" + name + "=" + dflt);
    }
  }

  private static String openApi() throws IOException {
    try (InputStream in = ApiServer.class.getResourceAsStream("/org/corral/controller/api/openapi.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Routes registered, as "METHOD path" (the OpenAPI test checks each is documented). */
  public List<String> routeList() {
    return gate().list();
  }

  /** Routes with their query parameters and whether they take a body (checked against openapi.json). */
  List<RequestGate.Route> routes() {
    return gate().routes();
  }

  /** The gate of the started server: {@link #start} makes it before it declares the routes. */
  private RequestGate gate() {
    return java.util.Objects.requireNonNull(gate, "the API server is not started");
  }

  // Every route is declared to the gate with its query parameters and whether it takes a body.

  // Each declares the Permission the route needs: the gate checks it before the route runs.

  void get(Javalin a, String path, Permission p, Handler h) {
    get(a, path, p, Set.of(), h);
  }

  void get(Javalin a, String path, Permission p, Set<String> query, Handler h) {
    gate().add("GET", path, p, query, false);
    a.get(path, h);
  }

  /** A POST without a body: an empty one, or {}, is accepted. */
  void post(Javalin a, String path, Permission p, Handler h) {
    gate().add("POST", path, p, Set.of(), false);
    a.post(path, h);
  }

  void postBody(Javalin a, String path, Permission p, Handler h) {
    gate().add("POST", path, p, Set.of(), true);
    a.post(path, h);
  }

  void putBody(Javalin a, String path, Permission p, Handler h) {
    gate().add("PUT", path, p, Set.of(), true);
    a.put(path, h);
  }

  void patchBody(Javalin a, String path, Permission p, Handler h) {
    gate().add("PATCH", path, p, Set.of(), true);
    a.patch(path, h);
  }

  void delete(Javalin a, String path, Permission p, Handler h) {
    gate().add("DELETE", path, p, Set.of(), false);
    a.delete(path, h);
  }

  public int port() {
    return java.util.Objects.requireNonNull(app, "the API server is not started").port();
  }

  @Override
  public void close() {
    events.close();
    if (app != null) {
      app.stop();
    }
  }
}
