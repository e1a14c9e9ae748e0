package org.corral.controller.boot;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.corral.controller.Controller;
import org.corral.controller.api.ApiServer;
import org.corral.controller.ec2.Ec2Server;
import org.corral.controller.ec2.Ec2Settings;
import org.corral.controller.api.LabApi;
import org.corral.controller.command.HostRequest;
import org.corral.controller.config.CorralConfig;
import org.corral.controller.store.JdbcStore;
import org.corral.controller.store.Store;
import org.corral.drivers.Drivers;
import org.corral.drivers.sim.SimDataCenter;
import org.corral.drivers.sim.SimGuestExec;
import org.corral.drivers.sim.SimHypervisorDriver;
import org.corral.drivers.sim.SimPowerDriver;
import org.corral.model.host.HostState;
import org.corral.model.image.Image;
import org.corral.model.network.Network;
import org.corral.model.time.Clock;
import org.corral.model.vm.VmState;
import org.jspecify.annotations.Nullable;

/** One running Corral: store, drivers, optional lab, controller and API. */
public final class CorralRuntime implements AutoCloseable {
  private final Store store;
  private final Drivers drivers;
  private final @Nullable SimDataCenter lab;
  private final Controller controller;
  private final ApiServer api;
  private final int port;
  private final @Nullable Ec2Server ec2;
  private final String storeDescription;

  private final List<String> warnings;
  private final @Nullable Path adminTokenFile;

  private CorralRuntime(Store store, String storeDescription, Drivers drivers, @Nullable SimDataCenter lab, Controller controller, ApiServer api,
      int port, @Nullable Ec2Server ec2, List<String> warnings, @Nullable Path adminTokenFile) {
    this.ec2 = ec2;
    this.warnings = List.copyOf(warnings);
    this.adminTokenFile = adminTokenFile;
    this.store = store;
    this.storeDescription = storeDescription;
    this.drivers = drivers;
    this.lab = lab;
    this.controller = controller;
    this.api = api;
    this.port = port;
  }

  /**
   * Starts everything. {@code clock} must be a real-time loop clock (SystemClock) whose loop is
   * free; the controller and lab run on it. {@code realDrivers} adds the drivers for real hosts.
   */
  public static CorralRuntime start(CorralConfig cfg, Path home, Clock clock, java.util.function.Consumer<Drivers> realDrivers) {
    return start(cfg, home, clock, realDrivers, Options.NONE);
  }

  /**
   * What a runtime started by controller HA adds: a step on the store before anything is written
   * to it (the leader's fence), live entries for GET /health (the HA state, updated by the
   * elector), and the epoch for the metrics.
   */
  public record Options(java.util.function.Consumer<Store> storeReady, Map<String, Object> health,
      java.util.function.@Nullable LongSupplier epoch) {
    public static final Options NONE = new Options(s -> {}, Map.of(), null);
  }

  /** Like {@link #start(CorralConfig, Path, Clock, java.util.function.Consumer)}, with what controller HA adds. */
  public static CorralRuntime start(CorralConfig cfg, Path home, Clock clock, java.util.function.Consumer<Drivers> realDrivers,
      Options options) {
    try {
      Files.createDirectories(home);
    } catch (java.io.IOException e) {
      throw new org.corral.model.InvalidInputException("--home", "cannot create " + home + ": " + e.getMessage(),
          "choose a writable directory with --home or CORRAL_HOME");
    }
    Store store;
    String desc;
    if (CorralConfig.MEMORY_STORE.equals(cfg.store().url())) {
      store = new org.corral.controller.store.InMemoryStore();
      desc = CorralConfig.MEMORY_STORE + " (nothing survives a restart)";
    } else if (cfg.store().url() != null) {
      store = JdbcStore.open(cfg.store().url(), cfg.store().user(), cfg.store().password());
      desc = cfg.store().url();
    } else {
      store = JdbcStore.h2File(home.resolve("db"));
      desc = "h2:file:" + home.resolve("db").toAbsolutePath();
    }
    try {
      options.storeReady().accept(store);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    Drivers drivers = new Drivers();
    @Nullable Controller[] started = new Controller[1];
    @Nullable ApiServer[] server = new ApiServer[1];
    @Nullable Ec2Server[] ec2 = new Ec2Server[1];
    try {
      realDrivers.accept(drivers);
      PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      @Nullable SimDataCenter[] lab = new SimDataCenter[1];
      Controller controller = onLoop(clock, () -> {
        if (cfg.lab() != null) {
          SimDataCenter dc = LabFactory.open(cfg.lab(), clock, cfg.controller().seed(), home);
          lab[0] = dc;
          drivers.hypervisor(new SimHypervisorDriver(dc)).power(new SimPowerDriver(dc)).guest(new SimGuestExec(dc));
        }
        Controller c = new Controller(cfg.controller(), clock, store, drivers, meters);
        started[0] = c;
        c.start();
        return c;
      });
      registerGauges(meters, controller);
      if (options.epoch() != null) {
        java.util.function.LongSupplier epoch = options.epoch();
        Gauge.builder("corral_ha_epoch", epoch, e -> e.getAsLong()).description("the leader's epoch (its fencing token)").register(meters);
        Gauge.builder("corral_ha_leader", epoch, e -> e.getAsLong() >= 0 ? 1 : 0).description("1 while this controller leads")
            .register(meters);
      }
      // The key that seals EC2 access keys' secrets lives beside the database, not in it.
      controller.accounts().accessKeys().useKeyFile(home);
      Path tokenFile = AdminToken.bootstrap(controller, home);
      List<String> warnings = new java.util.ArrayList<>();
      applyInventory(cfg, controller, lab[0], warnings);
      // Live when controller HA updates its entries (a concurrent map the elector writes to).
      Map<String, Object> health = options.health().isEmpty() ? new LinkedHashMap<>() : options.health();
      health.put("version", CorralRuntime.class.getPackage().getImplementationVersion() != null
          ? CorralRuntime.class.getPackage().getImplementationVersion() : "dev");
      health.put("startedAt", clock.now().toString());
      health.put("store", desc);
      health.put("lab", lab[0] != null ? lab[0].name() : null);
      ApiServer api = new ApiServer(controller, meters, lab[0] != null ? new LabApi(lab[0], controller) : null, health, cfg.api());
      server[0] = api;
      String[] hp = cfg.listen().split(":");
      int port = api.start(hp[0], Integer.parseInt(hp[1]));
      ec2[0] = startEc2(cfg.ec2(), controller, warnings);
      return new CorralRuntime(store, desc, drivers, lab[0], controller, api, port, ec2[0], warnings, tokenFile);
    } catch (RuntimeException e) {
      // A failed start leaves nothing running: API, loops, driver threads, store.
      if (ec2[0] != null) {
        ec2[0].close();
      }
      if (server[0] != null) {
        server[0].close();
      }
      Controller c = started[0];
      if (c != null) {
        onLoop(clock, () -> {
          c.stop();
          return null;
        });
      }
      drivers.close();
      store.close();
      throw e;
    }
  }

  /**
   * The EC2 API, unless corral.yaml turns it off. On its default address a port in use is a
   * warning, not a failed start (a second Corral on one machine); an address corral.yaml names must
   * be free.
   */
  private static @Nullable Ec2Server startEc2(Ec2Settings settings, Controller controller, List<String> warnings) {
    String listen = settings.listen();
    if (listen == null) {
      return null;
    }
    Ec2Server s = new Ec2Server(controller, settings);
    int colon = listen.lastIndexOf(':');
    try {
      s.start(listen.substring(0, colon), Integer.parseInt(listen.substring(colon + 1)));
      return s;
    } catch (org.corral.model.InvalidInputException e) {
      s.close();
      if (settings.explicit() || settings.tls() != null) {
        throw e;
      }
      warnings.add("EC2 API not started: " + e.getMessage() + " (set ec2.listen in corral.yaml to use another address)");
      return null;
    }
  }

  /** Adds what the configuration lists and the store lacks; leaves existing entries alone. */
  private static void applyInventory(CorralConfig cfg, Controller c, @Nullable SimDataCenter lab, List<String> warnings) {
    List<HostRequest> hosts = new java.util.ArrayList<>(cfg.hosts());
    if (lab != null) {
      hosts.addAll(0, LabFactory.inventory(Objects.requireNonNull(cfg.lab(), "a lab runs only when configured"), lab));
    }
    java.util.Set<String> known = new java.util.HashSet<>(c.call(() -> c.state().published().hosts().keySet()));
    hosts.forEach(h -> known.add(h.name()));
    requireSpares(cfg.controller().guardian().spares(), known);
    for (Network n : cfg.networks()) {
      c.call(() -> c.state().network(n.name()).isPresent() ? null : c.commands().createNetwork(n, "corral.yaml"));
    }
    for (Image i : cfg.images()) {
      c.call(() -> c.state().image(i.name()).isPresent() ? null : c.commands().createImage(i, "corral.yaml"));
    }
    int labHosts = hosts.size() - cfg.hosts().size();
    for (int i = 0; i < hosts.size(); i++) {
      HostRequest h = hosts.get(i);
      boolean exists = c.call(() -> c.state().host(h.name()).isPresent());
      if (!exists) {
        try {
          c.callAsync(() -> c.commands().addHost(h, "corral.yaml"), Duration.ofSeconds(60));
        } catch (org.corral.model.InvalidInputException e) {
          String message = Objects.requireNonNull(e.getMessage(), "an InvalidInputException always has a message");
          if (h.capacity() == null && "uri".equals(e.field()) && i >= labHosts) {
            // An unreachable host must not stop Corral from starting; it is added at the next
            // start, or at once when corral.yaml gives its capacity.
            warnings.add("hosts[" + (i - labHosts) + "] (" + h.name() + ") not added: "
                + message.substring(Math.min(message.length(), 5)));
            continue;
          }
          // Name the entry in corral.yaml, not just the field of the request.
          String at = i < labHosts ? "lab.hosts (" + h.name() + ")" : "hosts[" + (i - labHosts) + "]";
          throw new org.corral.model.InvalidInputException(at + "." + e.field(),
              message.substring(Math.min(message.length(), e.field().length() + 2)), null);
        }
      }
    }
  }

  /**
   * Every host named in {@code guardian.spares} is known: in the store already, or in the
   * inventory about to be added. Checked before anything is added, so a typo changes nothing.
   */
  static void requireSpares(java.util.Set<String> spares, java.util.Set<String> known) {
    for (String name : new java.util.TreeSet<>(spares)) {
      if (!known.contains(name)) {
        throw new org.corral.model.InvalidInputException("guardian.spares", org.corral.model.InvalidInputException.quote(name)
            + " is not a host: neither in corral.yaml's inventory nor in the store",
            "name a host of the inventory (corral host list), or label the host corral.spare=true instead");
      }
    }
  }

  private static void registerGauges(PrometheusMeterRegistry meters, Controller c) {
    for (HostState s : HostState.values()) {
      Gauge.builder("corral_hosts", c, ctl -> ctl.state().published().hosts().values().stream().filter(h -> h.state() == s).count())
          .tag("state", s.name()).description("hosts by state").register(meters);
    }
    for (VmState s : VmState.values()) {
      if (s == VmState.DELETED) {
        continue;
      }
      // Counted as VMs change, read from the published version: a scrape costs the loop nothing.
      Gauge.builder("corral_vms", c, ctl -> ctl.state().published().vmsByState().getOrDefault(s, 0))
          .tag("state", s.name()).description("VMs by state").register(meters);
    }
    Gauge.builder("corral_actions_running", c, ctl -> ctl.call(() -> ctl.executor().runningCount())).register(meters);
    Gauge.builder("corral_actions_queued", c, ctl -> ctl.call(() -> ctl.executor().queuedCount())).register(meters);
    Gauge.builder("corral_monitor_cycles", c, ctl -> ctl.call(() -> ctl.monitor().cycles())).register(meters);
    Gauge.builder("corral_scheduler_cycles", c, ctl -> ctl.call(() -> ctl.scheduling().cycles())).register(meters);
    // Group commit at work: their ratio is how many changes share each database commit.
    io.micrometer.core.instrument.FunctionCounter.builder("corral_store_commits", c, ctl -> ctl.call(() -> ctl.state().flushes()))
        .description("database commits (each carries every change of one turn of the loop)").register(meters);
    io.micrometer.core.instrument.FunctionCounter.builder("corral_store_transactions", c,
        ctl -> ctl.call(() -> ctl.state().joinedTransactions())).description("changes committed by the loop").register(meters);
  }

  private static <T> T onLoop(Clock clock, java.util.function.Supplier<T> s) {
    java.util.concurrent.CompletableFuture<T> f = new java.util.concurrent.CompletableFuture<>();
    clock.execute(() -> {
      try {
        f.complete(s.get());
      } catch (Throwable t) {
        f.completeExceptionally(t);
      }
    });
    try {
      return f.get(120, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException("the controller did not start: " + e.getMessage(), e);
    }
  }

  public Controller controller() {
    return controller;
  }

  /** The simulated lab, or null when the configuration has none. */
  public @Nullable SimDataCenter lab() {
    return lab;
  }

  public int port() {
    return port;
  }

  /** Problems found at start that did not stop it (e.g. an unreachable host in the inventory). */
  public List<String> warnings() {
    return warnings;
  }

  /** The file the first start wrote the admin's token to, or null when this start wrote none. */
  public @Nullable Path adminTokenFile() {
    return adminTokenFile;
  }

  public String storeDescription() {
    return storeDescription;
  }

  public ApiServer api() {
    return api;
  }

  /** The EC2 API's port, or -1 when it is off or could not start (see {@link #warnings}). */
  public int ec2Port() {
    Ec2Server s = ec2;
    return s == null ? -1 : s.port();
  }

  @Override
  public void close() {
    if (ec2 != null) {
      ec2.close();
    }
    api.close();
    controller.call(() -> {
      controller.stop();
      return null;
    });
    drivers.close();
    store.close();
  }
}
