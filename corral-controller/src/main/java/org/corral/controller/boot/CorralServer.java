package org.corral.controller.boot;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.corral.controller.config.ConfigReader;
import org.corral.controller.config.CorralConfig;
import org.corral.model.CorralException;
import org.corral.model.time.SystemClock;
import org.jspecify.annotations.Nullable;

/** `corral up`: start Corral and keep it running until the process is told to stop. */
public final class CorralServer {
  private CorralServer() {}

  /**
   * @param config      corral.yaml, or null: ./corral.yaml when it exists, else the built-in lab
   * @param home        state directory (H2 database, lab state)
   * @param listen      host:port overriding the configuration, or null
   * @param databaseUrl JDBC URL overriding the configuration's store, or null
   * @return the process exit code: 0 after a clean stop, 5 for a configuration error, 1 otherwise
   */
  public static int run(@Nullable Path config, Path home, @Nullable String listen, @Nullable String databaseUrl) {
    return run(config, home, listen, databaseUrl, System.getenv(), System.out, System.err, new CountDownLatch(1));
  }

  static int run(@Nullable Path config, Path home, @Nullable String listen, @Nullable String databaseUrl, Map<String, String> env, PrintStream out,
      PrintStream err, CountDownLatch stop) {
    CorralConfig cfg;
    String source;
    try {
      if (config == null && Files.exists(Path.of("corral.yaml"))) {
        config = Path.of("corral.yaml");
      }
      cfg = config != null ? ConfigReader.read(config, env) : ConfigReader.builtInLab();
      source = config != null ? config.toString() : "built-in simulated lab";
      cfg = override(cfg, listen, databaseUrl, env);
    } catch (CorralException e) {
      err.println("error: " + e.getMessage());
      return 5;
    }
    if (cfg.ha() != null) {
      return runHa(cfg, home, source, out, err, stop);
    }
    SystemClock clock = new SystemClock("corral-loop");
    CorralRuntime rt;
    try {
      rt = CorralRuntime.start(cfg, home, clock, d -> RealDrivers.register(d, clock));
    } catch (CorralException e) {
      err.println("error: " + e.getMessage());
      clock.close();
      return 5;
    } catch (RuntimeException e) {
      err.println("error: Corral could not start: " + e.getMessage());
      clock.close();
      return 1;
    }
    CorralConfig c = cfg;
    CorralRuntime running = rt;
    String from = source;
    return serveUntilStopped(stop, out, () -> {
      String url = (c.api().tls() != null ? "https://" : "http://") + c.listen().split(":")[0] + ":" + running.port();
      out.println("Corral is up (" + from + ").");
      out.println("  API      " + url + "/api/v1   (OpenAPI: " + url + "/api/v1/openapi.json, metrics: " + url + "/metrics)");
      out.println("  web      " + url + "/   (the dashboard: docs/dashboard.md)");
      String ec2 = c.ec2().listen();
      if (ec2 != null && running.ec2Port() > 0) {
        out.println("  EC2      " + (c.ec2().tls() != null ? "https://" : "http://") + ec2.substring(0, ec2.lastIndexOf(':')) + ":" + running.ec2Port()
            + "   (region " + c.ec2().region() + "; keys: corral keys create; docs/ec2-api.md)");
      }
      out.println("  store    " + running.storeDescription());
      if (running.lab() != null) {
        out.println("  lab      " + running.lab().hosts().size() + " simulated hosts (sim://" + running.lab().name() + "/...)");
      }
      Path tokenFile = running.adminTokenFile();
      if (tokenFile != null) {
        out.println("  admin    user 'admin' created; its token is in " + tokenFile
            + " (mode 0600; the CLI with the same CORRAL_HOME uses it)");
      }
      for (String w : running.warnings()) {
        out.println("  warning  " + w);
      }
      out.println();
      out.println("Try, in another shell:");
      out.println("  ./corral host list");
      out.println("  ./corral vm create web1 --cpus 2 --memory 2048");
      out.println("  ./corral vm list");
      out.println("  ./corral events --follow");
      out.println("Stop with Ctrl-C.");
    }, () -> {
      try {
        running.close();
      } finally {
        clock.close();
      }
    });
  }

  /** One of several controllers on one PostgreSQL database: follows, or leads when elected, until stopped. */
  private static int runHa(CorralConfig cfg, Path home, String source, PrintStream out, PrintStream err, CountDownLatch stop) {
    CorralConfig.HaConfig ha = java.util.Objects.requireNonNull(cfg.ha());
    HaController hc;
    try {
      hc = HaController.start(cfg, home, termClock -> d -> RealDrivers.register(d, termClock));
    } catch (CorralException e) {
      err.println("error: " + e.getMessage());
      return 5;
    } catch (RuntimeException e) {
      err.println("error: Corral could not start: " + e.getMessage());
      return 1;
    }
    return serveUntilStopped(stop, out, () -> {
      out.println("Corral controller " + ha.name() + " is up (" + source + "), one of the controllers sharing " + cfg.store().url() + ".");
      out.println("  API      " + ha.advertise() + "/api/v1 while it leads; while it follows, requests are sent to the leader");
      out.println("  status   ./corral status shows which controller leads, its epoch and its lease");
      out.println("Stop with Ctrl-C (the lease is given up at once).");
    }, hc::close);
  }

  /**
   * Prints the banner, serves until {@code stop} (Ctrl-C, SIGTERM or the caller), closes, and says
   * so. The hook is installed before the banner says "Stop with Ctrl-C", so that a Ctrl-C right
   * after it is clean too. On SIGTERM/Ctrl-C the JVM halts as soon as its hooks return, so the hook
   * waits (bounded) until the close is done; otherwise the API, loops and store are cut off.
   */
  private static int serveUntilStopped(CountDownLatch stop, PrintStream out, Runnable banner, Runnable close) {
    CountDownLatch closed = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stop.countDown();
      try {
        closed.await(60, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "corral-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    banner.run();
    out.flush();
    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      close.run();
    } finally {
      out.println("Corral stopped.");
      out.flush();
      closed.countDown();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook); // stopped by the caller, not by the JVM: no hook left behind
    } catch (IllegalStateException shuttingDown) {
      // The JVM is exiting; the hook is already running.
    }
    return 0;
  }

  /**
   * Where the API listens: the --listen flag, else $CORRAL_LISTEN, else the configuration's
   * api.listen (which defaults to 127.0.0.1:7070), as for every other setting.
   */
  static String listenAddress(@Nullable String flag, Map<String, String> env, String fromConfig) {
    if (flag != null) {
      return ConfigReader.listen("--listen", flag);
    }
    String fromEnv = env.get("CORRAL_LISTEN");
    return fromEnv != null ? ConfigReader.listen("CORRAL_LISTEN", fromEnv) : fromConfig;
  }

  private static CorralConfig override(CorralConfig c, @Nullable String listen, @Nullable String databaseUrl, Map<String, String> env) {
    String l = listenAddress(listen, env, c.listen());
    CorralConfig.StoreConfig s = c.store();
    if (databaseUrl != null) {
      org.corral.model.Secrets.refuseInline("--database", databaseUrl);
      if (!databaseUrl.startsWith("jdbc:postgresql:") && !databaseUrl.startsWith("jdbc:h2:")) {
        throw new org.corral.model.InvalidInputException("--database", org.corral.model.InvalidInputException.quote(databaseUrl)
            + " is not a PostgreSQL or H2 JDBC URL",
            "e.g. --database jdbc:postgresql://localhost:5432/corral (user and password from CORRAL_DB_USER / CORRAL_DB_PASSWORD)");
      }
      s = new CorralConfig.StoreConfig(databaseUrl, env.getOrDefault("CORRAL_DB_USER", s.user()),
          env.getOrDefault("CORRAL_DB_PASSWORD", s.password()));
    }
    return c.with(l, s);
  }
}
