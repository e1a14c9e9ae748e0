package org.corral.controller.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two `corral up` processes share one PostgreSQL database (corral.yaml's ha section). The one
 * elected serves the API; the other sends every request to it (307). The leader is killed with
 * SIGKILL: the other leads once the lease (3 s) has run out, carries on the work, and
 * nothing the API accepted is lost or done twice.
 */
class HaFailoverTest {
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
          - {prefix: node, count: 3, cores: 8, mhz: 2600, memoryMib: 16384}
      """;
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient noRedirects = HttpClient.newHttpClient();
  @TempDir
  Path dir;
  private String schema;
  private String url;
  private String user;
  private String password;
  private final List<Process> children = new CopyOnWriteArrayList<>();
  /** The admin token the first leader wrote to the shared home (the same users serve every controller). */
  private volatile String token = "";

  @AfterEach
  void stop() throws Exception {
    for (Process p : children) {
      p.destroyForcibly();
      p.waitFor(20, TimeUnit.SECONDS);
    }
    if (schema != null) {
      try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }

  @Test
  void theFollowerLeadsWithinTheLeaseAfterTheLeaderIsKilledAndNothingIsLostOrRepeated() throws Exception {
    url = System.getenv("CORRAL_TEST_PG_URL");
    user = System.getenv("CORRAL_TEST_PG_USER");
    password = System.getenv("CORRAL_TEST_PG_PASSWORD");
    if (url == null || url.isBlank()) {
      if ("true".equals(System.getenv("CI"))) {
        fail("CI=true but CORRAL_TEST_PG_URL is unset: run eval \"$(.ci/start-postgres)\"");
      }
      Assumptions.abort("controller HA test skipped: CORRAL_TEST_PG_URL is unset; run eval \"$(.ci/start-postgres)\" first");
    }
    schema = "corral_ha_" + ProcessHandle.current().pid();
    try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      s.execute("CREATE SCHEMA " + schema);
    }
    int port1 = freePort();
    int port2 = freePort();
    String storeUrl = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    Path home = dir.resolve("home"); // shared: the lab's state file stands for the real hosts both see
    Path c1 = dir.resolve("c1.yaml");
    Path c2 = dir.resolve("c2.yaml");
    Files.writeString(c1, CONFIG.formatted(port1, storeUrl, user, "c1", port1));
    Files.writeString(c2, CONFIG.formatted(port2, storeUrl, user, "c2", port2));
    String api1 = "http://127.0.0.1:" + port1 + "/api/v1";
    String api2 = "http://127.0.0.1:" + port2 + "/api/v1";

    Process first = start(c1, home);
    await("c1 leads").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
        .until(() -> Files.exists(home.resolve(AdminToken.FILE)));
    token = Files.readString(home.resolve(AdminToken.FILE)).strip();
    await("c1 leads").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> "leader".equals(role(api1)));
    Process second = start(c2, home);
    await("c2 follows").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> "follower".equals(role(api2)));

    // The follower sends a write to the leader, method and body kept.
    HttpResponse<String> redirect = noRedirects.send(post(api2 + "/vms", vm("web1")), HttpResponse.BodyHandlers.ofString());
    assertThat(redirect.statusCode()).isEqualTo(307);
    assertThat(redirect.headers().firstValue("Location")).contains(api1 + "/vms");
    for (String name : List.of("web1", "web2", "web3")) {
      HttpResponse<String> r = follow(post(api2 + "/vms", vm(name)));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }
    await("all running on c1").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
        .until(() -> states(api1).values().stream().filter("RUNNING"::equals).count() == 3);

    first.destroyForcibly(); // SIGKILL: the lease is not given up, it must run out
    long killed = System.nanoTime();
    first.waitFor(20, TimeUnit.SECONDS);
    await("c2 leads").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> "leader".equals(role(api2)));
    double failover = (System.nanoTime() - killed) / 1e9;
    System.out.printf("failover after kill -9 of the leader: %.2f s%n", failover);
    // The 5 s target is bench/failover's (timed over many runs); here only that the lease, not
    // some longer timeout, decides: 3 s of lease and the new leader's start, with room for a busy machine.
    assertThat(failover).as("a new leader once the lease ran out").isLessThan(15.0);

    HttpResponse<String> r = follow(post(api2 + "/vms", vm("web4")));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    await("all running on c2").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
        .until(() -> {
          Map<String, String> s = states(api2);
          return s.size() == 4 && s.values().stream().allMatch("RUNNING"::equals);
        });
    JsonNode events = JSON.readTree(get(api2 + "/events?limit=10000"));
    Map<String, Integer> started = new HashMap<>();
    Map<String, Integer> created = new HashMap<>();
    int leaders = 0;
    for (JsonNode e : events) {
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
    assertThat(started.values()).as("no action started twice across the failover").allMatch(n -> n == 1);
    assertThat(created).as("each VM created once").containsOnlyKeys("web1", "web2", "web3", "web4")
        .allSatisfy((vm, n) -> assertThat(n).isEqualTo(1));
    assertThat(leaders).as("each change of leader journaled").isEqualTo(2);
    JsonNode health = JSON.readTree(get(api2 + "/health"));
    assertThat(health.at("/ha/epoch").asLong()).isEqualTo(2);
    assertThat(health.at("/ha/leader").asText()).isEqualTo("c2");
    second.destroy();
    assertThat(second.waitFor(30, TimeUnit.SECONDS)).as("a clean stop").isTrue();
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String vm(String name) {
    return "{\"name\": \"" + name + "\", \"cpus\": 1, \"memoryMib\": 1024}";
  }

  private HttpRequest post(String url, String body) {
    return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private String role(String api) {
    try {
      return JSON.readTree(noRedirects.send(HttpRequest.newBuilder(URI.create(api + "/health"))
              .header("Authorization", "Bearer " + token).GET().build(),
          HttpResponse.BodyHandlers.ofString()).body()).at("/ha/role").asText();
    } catch (Exception e) {
      return "down";
    }
  }

  private Process start(Path config, Path home) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), CorralUpChild.class.getName(),
        config.toString(), home.toString())).redirectErrorStream(true);
    pb.environment().put("CORRAL_TEST_HA_PASSWORD", password);
    Process p = pb.start();
    children.add(p);
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread.ofVirtual().start(() -> {
      try {
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).lines().forEach(lines::add);
      } catch (java.io.UncheckedIOException closed) {
        // The child was killed: its output ends here.
      }
    });
    await("child up").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
        .until(() -> !p.isAlive() || lines.contains("Stop with Ctrl-C (the lease is given up at once)."));
    assertThat(lines).as("child output").contains("Stop with Ctrl-C (the lease is given up at once).");
    return p;
  }

  private Map<String, String> states(String api) throws Exception {
    Map<String, String> out = new HashMap<>();
    for (JsonNode v : JSON.readTree(get(api + "/vms"))) {
      out.put(v.get("name").asText(), v.get("state").asText());
    }
    return out;
  }

  private String get(String url) throws Exception {
    return follow(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).GET().build()).body();
  }

  /** As the CLI does: a 307 is sent again to its Location with the same method, body and token. */
  private HttpResponse<String> follow(HttpRequest req) throws Exception {
    HttpResponse<String> r = noRedirects.send(req, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() == 307) {
      return noRedirects.send(HttpRequest.newBuilder(req, (n, v) -> true).uri(URI.create(r.headers().firstValue("Location").orElseThrow()))
          .build(), HttpResponse.BodyHandlers.ofString());
    }
    return r;
  }
}
