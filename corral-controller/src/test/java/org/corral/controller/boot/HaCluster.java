package org.corral.controller.boot;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Controllers as real `corral up` processes sharing one PostgreSQL schema (each with its own
 * port, one home for the simulated lab's state file and the admin token): what HaFailoverTest and
 * bench/failover drive. Waits are bounded polls, never sleeps.
 */
final class HaCluster implements AutoCloseable {
  private static final String CONFIG = """
      controller: {monitorPeriod: 200ms, schedulerPeriod: 200ms}
      api: {listen: "127.0.0.1:%d"}
      store: {url: "%s", user: "%s", passwordEnv: CORRAL_TEST_HA_PASSWORD}
      ha: {name: %s, advertise: "http://127.0.0.1:%d", lease: 3s, renewEvery: 1s}
      lab:
        name: ha
        stateFile: true
        latencies: {define: 50ms, boot: 500ms, shutdown: 100ms, migrationBase: 100ms, powerOn: 1s, powerOff: 1s}
        hosts:
          - {prefix: node, count: 3, cores: 16, mhz: 2600, memoryMib: 65536}
      """;
  static final String READY = "Stop with Ctrl-C (the lease is given up at once).";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private final String url;
  private final String user;
  private final String password;
  private final String schema;
  private final Path dir;
  private final Path home;
  private final Map<String, Integer> ports = new LinkedHashMap<>();
  private final Map<String, Process> running = new HashMap<>();
  private volatile String token = "";

  /** Controllers {@code names} (not started) on a fresh schema of the database at {@code url}. */
  HaCluster(String url, String user, String password, Path dir, List<String> names) throws Exception {
    this.url = url;
    this.user = user;
    this.password = password;
    this.dir = dir;
    this.home = dir.resolve("home");
    this.schema = "corral_ha_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
    try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    String storeUrl = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    for (String n : names) {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      ports.put(n, port);
      Files.writeString(dir.resolve(n + ".yaml"), CONFIG.formatted(port, storeUrl, user, n, port));
    }
  }

  String api(String name) {
    return "http://127.0.0.1:" + ports.get(name) + "/api/v1";
  }

  /** Starts {@code name} and waits until it has started (following or leading). */
  Process start(String name) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), CorralUpChild.class.getName(),
        dir.resolve(name + ".yaml").toString(), home.toString())).redirectErrorStream(true);
    pb.environment().put("CORRAL_TEST_HA_PASSWORD", password);
    Process p = pb.start();
    running.put(name, p);
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread.ofVirtual().start(() -> {
      try {
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).lines().forEach(lines::add);
      } catch (java.io.UncheckedIOException closed) {
        // The child was killed: its output ends here.
      }
    });
    await(name + " up").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
        .until(() -> !p.isAlive() || lines.contains(READY));
    if (!lines.contains(READY)) {
      throw new IllegalStateException(name + " did not start: " + lines);
    }
    return p;
  }

  /** SIGKILL: no shutdown hook, the lease is not given up. */
  void kill(String name) throws Exception {
    Process p = running.remove(name);
    p.destroyForcibly();
    p.waitFor(20, TimeUnit.SECONDS);
  }

  /** The admin token the first leader wrote (the same users serve every controller). */
  String token() throws Exception {
    if (token.isEmpty()) {
      await("the admin token").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
          .until(() -> Files.exists(home.resolve(AdminToken.FILE)));
      token = Files.readString(home.resolve(AdminToken.FILE)).strip();
    }
    return token;
  }

  /** "leader", "follower", or "down" when it does not answer. */
  String role(String name) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api(name) + "/health"))
          .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? JSON.readTree(r.body()).at("/ha/role").asText() : "down";
    } catch (Exception e) {
      return "down";
    }
  }

  /** Waits until one of {@code names} leads; returns its name. */
  String awaitLeader(Duration within, List<String> names) {
    String[] found = {null};
    await("a leader").atMost(within).pollInterval(Duration.ofMillis(25)).until(() -> {
      for (String n : names) {
        if ("leader".equals(role(n))) {
          found[0] = n;
          return true;
        }
      }
      return false;
    });
    return found[0];
  }

  HttpResponse<String> post(String name, String path, String body) throws Exception {
    return follow(HttpRequest.newBuilder(URI.create(api(name) + path)).header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + token()).POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  HttpResponse<String> postNoFollow(String name, String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(api(name) + path)).header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + token()).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  JsonNode get(String name, String path) throws Exception {
    return JSON.readTree(follow(HttpRequest.newBuilder(URI.create(api(name) + path)).header("Authorization", "Bearer " + token())
        .GET().build()).body());
  }

  /** As the CLI does: a 307 is sent again to its Location with the same method, body and token. */
  private HttpResponse<String> follow(HttpRequest req) throws Exception {
    HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() == 307) {
      return http.send(HttpRequest.newBuilder(req, (n, v) -> true).uri(URI.create(r.headers().firstValue("Location").orElseThrow()))
          .build(), HttpResponse.BodyHandlers.ofString());
    }
    return r;
  }

  /** VM name to state, through {@code name}. */
  Map<String, String> states(String name) throws Exception {
    Map<String, String> out = new HashMap<>();
    for (JsonNode v : get(name, "/vms?limit=10000")) {
      out.put(v.get("name").asText(), v.get("state").asText());
    }
    return out;
  }

  /** What the journal says: actions started per key, VMs created per name, leader changes. */
  record Tally(Map<String, Integer> started, Map<String, Integer> created, int leaders) {}

  Tally tally(String name) throws Exception {
    Map<String, Integer> started = new HashMap<>();
    Map<String, Integer> created = new HashMap<>();
    int leaders = 0;
    for (JsonNode e : get(name, "/events?limit=10000")) {
      switch (e.get("kind").asText()) {
        case "ACTION_STARTED" -> started.merge(e.get("actionKey").asText(), 1, Integer::sum);
        case "CREATED" -> {
          if (e.get("subjectKind").asText().equals("VM")) {
            created.merge(e.get("subject").asText(), 1, Integer::sum);
          }
        }
        case "CONTROLLER_STARTED" -> leaders += e.get("message").asText().contains(" leads with epoch ") ? 1 : 0;
        default -> { }
      }
    }
    return new Tally(started, created, leaders);
  }

  @Override
  public void close() throws Exception {
    for (Process p : running.values()) {
      p.destroyForcibly();
      p.waitFor(20, TimeUnit.SECONDS);
    }
    running.clear();
    try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }
}
