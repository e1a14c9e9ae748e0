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
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.corral.controller.store.TestPostgres;

/**
 * Controllers as real `corral up` processes sharing one PostgreSQL schema (each with its own
 * port, one home for the simulated lab's state file and the admin token): what HaFailoverTest and
 * bench/failover drive. Waits are bounded polls, never sleeps.
 */
final class HaCluster implements AutoCloseable {
  /**
   * The lab holds every VM the tests and bench/failover create (1 vCPU each, no overcommit): with
   * 16 cores a host, 50 kills' VMs did not all fit, and those left PENDING looked unsettled.
   */
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
          - {prefix: node, count: 3, cores: 64, mhz: 2600, memoryMib: 262144}
      """;
  /** How long a request may wait for its answer: a controller stopped mid-request must not hang a test. */
  private static final Duration REQUEST = Duration.ofSeconds(30);
  static final String READY = "Stop with Ctrl-C (the lease is given up at once).";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private final TestPostgres pg;
  private final String schema;
  private final Path dir;
  private final Path home;
  private final Map<String, Integer> ports = new LinkedHashMap<>();
  private final Map<String, Process> running = new HashMap<>();
  private final Map<String, List<String>> output = new ConcurrentHashMap<>();
  private final Map<String, TcpProxy> proxies = new HashMap<>();
  private volatile String token = "";

  /** Controllers {@code names} (not started) on a fresh schema of {@code pg}. */
  HaCluster(TestPostgres pg, Path dir, List<String> names) throws Exception {
    this.pg = pg;
    this.dir = dir;
    this.home = dir.resolve("home");
    this.schema = pg.createSchema("corral_ha");
    for (String n : names) {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      ports.put(n, port);
      writeConfig(n, pg.schemaUrl(schema));
    }
  }

  private void writeConfig(String name, String storeUrl) throws java.io.IOException {
    int port = ports.get(name);
    Files.writeString(dir.resolve(name + ".yaml"), CONFIG.formatted(port, storeUrl, pg.user(), name, port));
  }

  /**
   * From its next start, {@code name} reaches the database only through a proxy the test controls
   * (the cut of a network between one controller and PostgreSQL).
   */
  TcpProxy throughProxy(String name) throws Exception {
    Matcher m = HOST_PORT.matcher(pg.url());
    if (!m.find()) {
      throw new IllegalArgumentException("CORRAL_TEST_PG_URL has no host:port the proxy could stand before: " + pg.url());
    }
    TcpProxy proxy = new TcpProxy(m.group(1), Integer.parseInt(m.group(2)));
    proxies.put(name, proxy);
    writeConfig(name, storeUrl(name));
    return proxy;
  }

  /** The database URL {@code name} uses: through its proxy, if it has one. */
  String storeUrl(String name) {
    TcpProxy proxy = proxies.get(name);
    Matcher m = HOST_PORT.matcher(pg.url());
    return proxy == null || !m.find() ? pg.schemaUrl(schema)
        : pg.schemaUrl(schema).replace(m.group(0), "//127.0.0.1:" + proxy.port() + "/");
  }

  private static final Pattern HOST_PORT = Pattern.compile("//([^:/?]+):(\\d+)/");

  /** The number of rows of {@code table} in the controllers' schema, straight from the database. */
  long rows(String table, String where) throws Exception {
    try (Connection c = pg.connect(); Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM " + schema + "." + table + (where.isEmpty() ? "" : " WHERE " + where))) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Runs {@code wait}; when it times out, fails with what every controller printed last (why it did not happen). */
  void onTimeout(String what, Runnable wait) {
    try {
      wait.run();
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      StringBuilder b = new StringBuilder(what).append(" did not happen in time");
      output.forEach((n, lines) -> {
        b.append("\n--- ").append(n).append(", last lines:");
        lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(l -> b.append("\n").append(l));
      });
      try {
        Path logs = Files.createDirectories(Path.of("target", "ha-logs", schema));
        for (Map.Entry<String, List<String>> o : output.entrySet()) {
          Files.write(logs.resolve(o.getKey() + ".log"), o.getValue());
        }
        b.append("\n(every line in ").append(logs.toAbsolutePath()).append(")");
      } catch (java.io.IOException io) {
        b.append("\n(could not write the whole output: ").append(io.getMessage()).append(")");
      }
      throw new AssertionError(b.toString(), e);
    }
  }

  /** What {@code name}'s process has printed so far (all its runs). */
  List<String> output(String name) {
    return output.getOrDefault(name, List.of());
  }

  String api(String name) {
    return "http://127.0.0.1:" + ports.get(name) + "/api/v1";
  }

  /** Starts {@code name} and waits until it has started (following or leading). */
  Process start(String name) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), CorralUpChild.class.getName(),
        dir.resolve(name + ".yaml").toString(), home.toString())).redirectErrorStream(true);
    pb.environment().put("CORRAL_TEST_HA_PASSWORD", pg.password());
    Process p = pb.start();
    running.put(name, p);
    List<String> lines = new CopyOnWriteArrayList<>();
    List<String> all = output.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>());
    Thread.ofVirtual().start(() -> {
      try {
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).lines().forEach(l -> {
          lines.add(l);
          all.add(l);
        });
      } catch (java.io.UncheckedIOException closed) {
        // The child was killed: its output ends here.
      }
    });
    await(name + " up").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(50))
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

  /** SIGTERM, as Ctrl-C: a leader gives its lease up at once; waits until the process has exited. */
  void stop(String name) throws Exception {
    Process p = running.remove(name);
    p.destroy();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException(name + " did not stop within 60 s of SIGTERM");
    }
  }

  /** SIGSTOP: the whole process stands still (a long GC pause, a frozen VM) until {@link #resume}. */
  void pause(String name) throws Exception {
    signal(name, "-STOP");
  }

  /** SIGCONT after {@link #pause}. */
  void resume(String name) throws Exception {
    signal(name, "-CONT");
  }

  private void signal(String name, String signal) throws Exception {
    Process kill = new ProcessBuilder(List.of("kill", signal, Long.toString(running.get(name).pid()))).inheritIO().start();
    if (!kill.waitFor(20, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill " + signal + " " + name + " failed");
    }
  }

  /** The admin token the first leader wrote (the same users serve every controller). */
  String token() throws Exception {
    if (token.isEmpty()) {
      await("the admin token").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(100))
          .until(() -> Files.exists(home.resolve(AdminToken.FILE)));
      token = Files.readString(home.resolve(AdminToken.FILE)).strip();
    }
    return token;
  }

  /** "leader", "follower", or "down" when it does not answer. */
  String role(String name) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api(name) + "/health")).timeout(Duration.ofSeconds(10))
          .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? JSON.readTree(r.body()).at("/ha/role").asText() : "down";
    } catch (Exception e) {
      return "down";
    }
  }

  /** Waits until one of {@code names} leads; returns its name. */
  String awaitLeader(Duration within, List<String> names) {
    String[] found = {null};
    onTimeout("a leader among " + names, () -> await("a leader").atMost(within).pollInterval(Duration.ofMillis(25)).until(() -> {
      for (String n : names) {
        if ("leader".equals(role(n))) {
          found[0] = n;
          return true;
        }
      }
      return false;
    }));
    return found[0];
  }

  HttpResponse<String> post(String name, String path, String body) throws Exception {
    return follow(HttpRequest.newBuilder(URI.create(api(name) + path)).timeout(REQUEST).header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + token()).POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  HttpResponse<String> postNoFollow(String name, String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(api(name) + path)).timeout(REQUEST).header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + token()).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** GET as sent, without following a 307; {@code bearer} empty sends no token. */
  HttpResponse<String> getNoFollow(String name, String path, String bearer) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api(name) + path)).timeout(REQUEST).GET();
    if (!bearer.isEmpty()) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  JsonNode get(String name, String path) throws Exception {
    return JSON.readTree(follow(HttpRequest.newBuilder(URI.create(api(name) + path)).timeout(REQUEST).header("Authorization", "Bearer " + token())
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
    for (TcpProxy proxy : proxies.values()) {
      proxy.close();
    }
    pg.dropSchema(schema);
  }
}
