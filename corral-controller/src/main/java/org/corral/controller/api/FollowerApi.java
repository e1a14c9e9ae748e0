package org.corral.controller.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The API of a controller that follows (controller HA): GET /health answers with the HA state;
 * every other request goes to the leader with a 307 (method and body kept; the CLI follows it),
 * or gets a 503 with Retry-After while no controller leads.
 */
public final class FollowerApi implements AutoCloseable {
  private final Javalin app;
  private final Supplier<Map<String, Object>> ha;
  private final String self;
  private final Duration lease;

  /**
   * @param ha    the HA state as GET /health shows it (its {@code leaderAddress} is where requests go)
   * @param self  this controller's advertised address (never redirect to itself)
   */
  public FollowerApi(String host, int port, Supplier<Map<String, Object>> ha, String self, Duration lease) {
    this.ha = ha;
    this.self = self;
    this.lease = lease;
    this.app = Javalin.create(conf -> conf.showJavalinBanner = false);
    app.get(ApiServer.V1 + "/health", ctx -> {
      Map<String, Object> h = new LinkedHashMap<>();
      h.put("status", "FOLLOWER");
      h.put("ha", ha.get());
      ctx.contentType("application/json").result(ApiJson.write(h));
    });
    for (HandlerType t : List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE)) {
      app.addHttpHandler(t, "/*", this::toLeader);
    }
    app.start(host, port);
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
