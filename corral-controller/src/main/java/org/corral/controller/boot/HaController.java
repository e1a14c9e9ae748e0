package org.corral.controller.boot;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.corral.controller.api.FollowerApi;
import org.corral.controller.config.CorralConfig;
import org.corral.controller.ha.LeaderElector;
import org.corral.controller.store.JdbcStore;
import org.corral.controller.store.Leases;
import org.corral.drivers.Drivers;
import org.corral.model.journal.EntryKind;
import org.corral.model.journal.SubjectKind;
import org.corral.model.plan.Cause;
import org.corral.model.plan.Origin;
import org.corral.model.time.SystemClock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One of several controllers sharing a PostgreSQL database (corral.yaml's {@code ha} section).
 * While it follows, its API answers GET /health with the HA state and sends every other request
 * to the leader (307, which the CLI follows); once elected it starts a whole {@link CorralRuntime}
 * whose store is fenced with its epoch, on a fresh loop, so that nothing of an earlier term
 * survives; deposed, it stops that runtime (a write it still tries is refused by the fence) and
 * follows again. The elector runs on a thread of its own, never on the loop; terms start and stop
 * on another, so that a slow start (seconds on a loaded machine) never holds up a renewal and
 * loses the lease it was elected with.
 */
public final class HaController implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HaController.class);

  private final CorralConfig cfg;
  private final Path home;
  /** The drivers for real hosts, on the clock of a term. */
  private final java.util.function.Function<org.corral.model.time.Clock, java.util.function.Consumer<Drivers>> realDrivers;
  private final CorralConfig.HaConfig ha;
  private final JdbcStore leaseStore;
  private final Leases leases;
  private final LeaderElector elector;
  /** Renews or takes the lease: nothing else runs here, so that a slow start of a term never delays a renewal. */
  private final ScheduledExecutorService ticker;
  /** Starts and stops terms (lead, follow), in the order the elector decided them. */
  private final java.util.concurrent.ExecutorService transitions;
  private final Map<String, Object> health = new ConcurrentHashMap<>();
  private final String host;
  private final int port;
  // Touched only on the transitions thread, and by close() after it stopped.
  private @Nullable FollowerApi follower;
  private @Nullable CorralRuntime leader;
  private @Nullable SystemClock clock;
  private volatile String lastChange = "started";
  /** The clock of the follower's read of the store (token expiry); its loop is never used. */
  private final SystemClock replicaClock = new SystemClock("corral-follower");
  private final java.security.SecureRandom secure = new java.security.SecureRandom();
  private FollowerApi.@Nullable Replica replica;
  private long replicaAt;

  private HaController(CorralConfig cfg, Path home,
      java.util.function.Function<org.corral.model.time.Clock, java.util.function.Consumer<Drivers>> realDrivers) {
    this.cfg = cfg;
    this.home = home;
    this.realDrivers = realDrivers;
    this.ha = java.util.Objects.requireNonNull(cfg.ha(), "ha");
    String[] hp = cfg.listen().split(":");
    this.host = hp[0];
    this.port = Integer.parseInt(hp[1]);
    this.leaseStore = JdbcStore.open(java.util.Objects.requireNonNull(cfg.store().url()), cfg.store().user(), cfg.store().password());
    // Every wait on the lease's connection ends before the leader must stop acting (lease - renewEvery).
    this.leases = leaseStore.leases(ha.lease().minus(ha.renewEvery()));
    this.elector = new LeaderElector(leases, ha.name(), ha.advertise(), ha.lease(), ha.renewEvery(), new LeaderElector.Listener() {
      @Override
      public void elected(long epoch) {
        transitions.execute(() -> lead(epoch));
      }

      @Override
      public void deposed(long epoch, String reason) {
        transitions.execute(() -> follow("deposed from epoch " + epoch + ": " + reason));
      }
    }, System::nanoTime);
    this.ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("corral-ha").daemon().factory());
    this.transitions = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("corral-ha-term").daemon().factory());
  }

  /** Starts following (the first tick may elect it at once) and ticks every {@code ha.renewEvery}. */
  public static HaController start(CorralConfig cfg, Path home,
      java.util.function.Function<org.corral.model.time.Clock, java.util.function.Consumer<Drivers>> realDrivers) {
    HaController c = new HaController(cfg, home, realDrivers);
    try {
      c.transitions.submit(() -> c.follow("started")).get();
    } catch (Exception e) {
      c.close();
      throw new IllegalStateException("the controller could not start its follower API on " + cfg.listen() + ": " + e.getMessage(), e);
    }
    c.ticker.execute(c::tick);
    return c;
  }

  public int port() {
    return port;
  }

  public boolean leads() {
    return elector.leads();
  }

  /**
   * One election round, then the next: a renewal period later, or, for a follower that saw the
   * leader's lease about to run out, just after it does (a takeover need not wait a whole period).
   */
  private void tick() {
    long next = ha.renewEvery().toMillis();
    try {
      elector.tick();
      Map<String, Object> st = state();
      health.put("ha", st);
      if (!elector.leads() && st.get("leaseRemainingMs") instanceof Long remaining) {
        next = Math.max(20, Math.min(next, remaining + 20));
      }
    } catch (RuntimeException e) {
      LOG.warn("controller {}: election round failed: {}", ha.name(), e.getMessage());
    }
    try {
      ticker.schedule(this::tick, next, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException stopped) {
      // close() stopped the ticker
    }
  }

  /** What GET /health and `corral status` show of controller HA. */
  private Map<String, Object> state() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("name", ha.name());
    s.put("role", elector.leads() ? "leader" : "follower");
    s.put("lastChange", lastChange);
    try {
      Leases.Lease l = leases.current();
      s.put("leader", l.held() ? l.holder() : null);
      s.put("leaderAddress", l.held() ? l.address() : null);
      s.put("epoch", l.epoch());
      s.put("leaseRemainingMs", l.remainingMillis());
      List<Map<String, Object>> all = new java.util.ArrayList<>();
      for (Leases.Seen c : leases.controllers()) {
        all.add(Map.of("name", c.name(), "address", c.address(), "role", c.role(), "seenMsAgo", c.agoMillis()));
      }
      s.put("controllers", all);
    } catch (RuntimeException e) {
      s.put("database", "unreachable: " + e.getMessage());
    }
    return s;
  }

  /** Elected: a fresh loop and runtime on a store fenced with {@code epoch}. */
  private void lead(long epoch) {
    if (elector.epoch() != epoch) {
      return; // the term ended before it could start (the end is queued behind)
    }
    stopFollower();
    lastChange = "elected with epoch " + epoch;
    SystemClock c = new SystemClock("corral-loop");
    try {
      CorralRuntime rt = CorralRuntime.start(cfg, home, c, realDrivers.apply(c),
          new CorralRuntime.Options(store -> ((JdbcStore) store).fence(ha.name(), epoch), health, elector::epoch));
      clock = c;
      leader = rt;
      rt.controller().call(() -> {
        rt.controller().state().tx().journal(EntryKind.CONTROLLER_STARTED, SubjectKind.CONTROLLER, ha.name(), null, "LEADER", null,
            Cause.of(Origin.RECOVERY, 0, "leader election"), "controller " + ha.name() + " leads with epoch " + epoch
                + " (advertised at " + ha.advertise() + ")").commit();
        return null;
      });
      LOG.info("controller {} leads with epoch {}; API on {}", ha.name(), epoch, cfg.listen());
    } catch (RuntimeException e) {
      LOG.error("controller {} was elected but could not start: {}; it gives the lease up", ha.name(), e.getMessage());
      c.close();
      elector.resign("could not start: " + e.getMessage());
    }
  }

  /** Follows: stops a runtime of an earlier term, then answers with the leader's address. */
  private void follow(String why) {
    lastChange = why;
    CorralRuntime rt = leader;
    leader = null;
    if (rt != null) {
      try {
        rt.close();
      } catch (RuntimeException e) {
        LOG.warn("controller {}: stopping the runtime of the last term: {}", ha.name(), e.getMessage());
      }
    }
    SystemClock c = clock;
    clock = null;
    if (c != null) {
      c.close();
    }
    if (follower == null) {
      follower = followerApi();
    }
    health.put("ha", state());
  }

  private static void awaitTermination(java.util.concurrent.ExecutorService e) {
    try {
      e.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    }
  }

  private FollowerApi followerApi() {
    return new FollowerApi(host, port, () -> {
      Object st = health.get("ha");
      @SuppressWarnings("unchecked")
      Map<String, Object> m = st instanceof Map<?, ?> ? (Map<String, Object>) st : Map.of();
      return m;
    }, this::replica, ha.advertise(), ha.lease());
  }

  /**
   * What a follower's reads see: the store loaded into a state of its own (never written), again
   * once the last load is older than {@link FollowerApi.Replica#MAX_AGE}. Throws a StoreException
   * (503) when the database does not answer.
   */
  private synchronized FollowerApi.Replica replica() {
    FollowerApi.Replica r = replica;
    long now = System.nanoTime();
    if (r == null || now - replicaAt > FollowerApi.Replica.MAX_AGE.toNanos()) {
      org.corral.controller.state.ControllerState st = new org.corral.controller.state.ControllerState(leaseStore, replicaClock);
      st.load();
      r = new FollowerApi.Replica(st, new org.corral.controller.auth.Accounts(st, new org.corral.controller.auth.Passwords(secure),
          new org.corral.controller.auth.Tokens(secure)));
      replica = r;
      replicaAt = now;
    }
    return r;
  }

  private void stopFollower() {
    FollowerApi f = follower;
    follower = null;
    if (f != null) {
      f.close();
    }
  }

  @Override
  public void close() {
    ticker.shutdown();
    awaitTermination(ticker);
    elector.resign("stopped"); // queues the end of the term, if it leads
    transitions.execute(() -> {
      follow("stopped");
      stopFollower();
    });
    transitions.shutdown();
    awaitTermination(transitions);
    leases.close();
    leaseStore.close();
    replicaClock.close();
  }
}
