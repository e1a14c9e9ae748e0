package org.corral.controller.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.corral.controller.auth.AccessPolicy;
import org.corral.controller.auth.Accounts;
import org.corral.controller.auth.Permission;
import org.corral.controller.auth.Principal;
import org.corral.controller.state.ControllerState;
import org.corral.model.AccessDeniedException;
import org.corral.model.CorralException;
import org.corral.model.NotFoundException;
import org.corral.model.host.Host;
import org.corral.model.vm.Vm;

/**
 * The API of a controller that follows (controller HA): GET /health answers with the HA state
 * (and, to a request with a valid token, the hosts and VMs counted by state in the database);
 * GET of VMs and hosts is read from the database (the store as last loaded, at most
 * {@link Replica#MAX_AGE} old, authenticated and filtered by owner as on the leader); every other
 * request goes to the leader with a 307 (method and body kept; the CLI follows it), or gets a 503
 * with Retry-After while no controller leads.
 *
 * <p>A follower observes no host: a host's utilisation and power read here are those of an idle
 * host, and a VM's action in flight is not shown (the leader's API has both).
 */
public final class FollowerApi implements AutoCloseable {
  /** The header that marks an answer read from the database by a follower. */
  public static final String READ_FROM = "X-Corral-Read-From";

  /** The store as a follower last read it: a state loaded from it, and the accounts over that state. */
  public record Replica(ControllerState state, Accounts accounts) {
    /** How old a follower's read of the store may be before the next request reads it again. */
    public static final Duration MAX_AGE = Duration.ofMillis(500);
  }

  private final Javalin app;
  private final Supplier<Map<String, Object>> ha;
  private final Supplier<Replica> replica;
  private final String self;
  private final Duration lease;

  /**
   * @param ha      the HA state as GET /health shows it (its {@code leaderAddress} is where requests go)
   * @param replica the store as last read (it may throw a StoreException when the database does not answer)
   * @param self    this controller's advertised address (never redirect to itself)
   */
  public FollowerApi(String host, int port, Supplier<Map<String, Object>> ha, Supplier<Replica> replica, String self, Duration lease) {
    this.ha = ha;
    this.replica = replica;
    this.self = self;
    this.lease = lease;
    this.app = Javalin.create(conf -> conf.showJavalinBanner = false);
    app.exception(CorralException.class, (e, ctx) -> Problems.of(ctx, e));
    app.exception(org.corral.controller.store.StoreException.class, (e, ctx) -> ctx.status(503).header("Retry-After", "1")
        .contentType("application/problem+json").result(ApiJson.write(Map.of("type", "about:blank", "title", "Database unreachable",
            "status", 503, "detail", "this follower cannot read the database: " + e.getMessage() + "; retry, or ask the leader"))));
    app.get(ApiServer.V1 + "/health", ctx -> {
      Map<String, Object> h = new LinkedHashMap<>();
      h.put("status", "FOLLOWER");
      h.put("ha", ha.get());
      if (ctx.header("Authorization") != null) {
        // As the leader's: hosts and VMs counted by state, here from the database, for a valid
        // token; health answers even when the database does not (then without the counts).
        try {
          Replica r = replica.get();
          principal(ctx, r);
          h.putAll(ApiServer.counts(r.state().published()));
          ctx.header(READ_FROM, "database");
        } catch (org.corral.controller.store.StoreException e) {
          h.put("database", "unreachable: " + e.getMessage());
        }
      }
      ctx.contentType("application/json").result(ApiJson.write(h));
    });
    app.get(ApiServer.V1 + "/vms", ctx -> {
      Replica r = read(ctx, Permission.READ_VMS);
      Principal p = principal(ctx, r);
      Predicate<Vm> asked = ApiServer.vmFilter(ctx);
      Predicate<Vm> filter = v -> asked.test(v) && ApiServer.allowed(r.state(), p, Permission.READ_VMS, v.owner());
      String on = ctx.queryParam("host");
      var published = r.state().published();
      Pages.Page<Vm> page = on != null
          ? Pages.ofNames(published.vmNamesOn(on), published.vms(), ctx.queryParam("after"), Pages.limit(ctx), filter)
          : Pages.of(published.vms(), ctx.queryParam("after"), Pages.limit(ctx), filter);
      Pages.answer(ctx, page, v -> Views.vm((Vm) v, null));
    });
    app.get(ApiServer.V1 + "/vms/{name}", ctx -> {
      Replica r = read(ctx, Permission.READ_VMS);
      Vm v = r.state().published().vms().get(ctx.pathParam("name"));
      if (v == null || !ApiServer.allowed(r.state(), principal(ctx, r), Permission.READ_VMS, v.owner())) {
        throw new NotFoundException("vm", ctx.pathParam("name"));
      }
      ApiServer.json(ctx, 200, Views.vm(v, null));
    });
    app.get(ApiServer.V1 + "/hosts", ctx -> {
      Replica r = read(ctx, Permission.READ_HOSTS);
      ApiServer.json(ctx, 200, r.state().hosts().stream().map(h -> Views.host(h, r.state())).toList());
    });
    app.get(ApiServer.V1 + "/hosts/{name}", ctx -> {
      Replica r = read(ctx, Permission.READ_HOSTS);
      Host h = r.state().requireHost(ctx.pathParam("name"));
      ApiServer.json(ctx, 200, Views.host(h, r.state()));
    });
    for (HandlerType t : List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE)) {
      app.addHttpHandler(t, "/*", this::toLeader);
    }
    app.start(host, port);
  }

  /** The store as last read, once the request's token is known to be valid and allowed {@code what}. */
  private Replica read(Context ctx, Permission what) {
    Replica r = replica.get();
    Principal p = principal(ctx, r);
    if (!AccessPolicy.allows(p.role(), what, AccessPolicy.Relation.ROUTE)) {
      throw new AccessDeniedException(AccessDeniedException.Reason.FORBIDDEN, ctx.method() + " " + ctx.path()
          + " is for administrators; " + p.name() + " is a " + p.role().label() + " (docs/users-and-roles.md lists who may do what)");
    }
    ctx.header(READ_FROM, "database");
    return r;
  }

  private static Principal principal(Context ctx, Replica r) {
    return r.accounts().authenticate(ctx.header("Authorization"), ctx.header("X-Corral-User"));
  }

  private void toLeader(Context ctx) {
    Object address = ha.get().get("leaderAddress");
    if (address == null || address.equals(self)) {
      ctx.status(503).header("Retry-After", "1").contentType("application/problem+json").result(ApiJson.write(Map.of(
          "type", "about:blank", "title", "No leader", "status", 503,
          "detail", "no controller leads at the moment (an election takes up to the lease, " + lease.toMillis() + " ms); retry")));
      return;
    }
    String query = ctx.queryString();
    ctx.status(307).header("Location", address + ctx.path() + (query == null ? "" : "?" + query));
  }

  @Override
  public void close() {
    app.stop();
  }
}
