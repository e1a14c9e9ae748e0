package org.corral.controller.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import org.corral.controller.api.TestTokens;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `corral up` in a child JVM is killed with SIGKILL while VMs are booting, then started again on
 * the same home (H2 database and the lab's state file). It must converge: every VM running, one
 * domain each, no action started twice, the interrupted deploys resumed rather than repeated.
 */
class KillNineRecoveryTest {
  private static final String LAB = """
      controller: {monitorPeriod: 200ms, schedulerPeriod: 200ms}
      api: {listen: "127.0.0.1:%d"}
      lab:
        name: k9
        stateFile: true
        latencies: {define: 100ms, boot: 4s, shutdown: 100ms, migrationBase: 100ms, powerOn: 1s, powerOff: 1s}
        hosts:
          - {prefix: node, count: 3, cores: 8, mhz: 2600, memoryMib: 16384}
      """;
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private Path home;
  @TempDir
  Path dir;

  @Test
  void killedWhileDeployingThenRestartedConvergesWithoutRepeatingAnything() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String base = "http://127.0.0.1:" + port + "/api/v1";
    Path config = dir.resolve("corral.yaml");
    Files.writeString(config, LAB.formatted(port));
    home = dir.resolve("home");

    Process first = start(config, home);
    try {
      for (int i = 1; i <= 6; i++) {
        HttpResponse<String> r = post(base + "/vms", "{\"name\": \"k" + i + "\", \"cpus\": 2, \"memoryMib\": 2048}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      }
      await("deploys in flight").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
          .until(() -> states(base).values().stream().anyMatch("BOOTING"::equals));
      assertThat(states(base).values()).doesNotContain("RUNNING");
    } finally {
      first.destroyForcibly(); // SIGKILL: no shutdown hook, no clean-up
      first.waitFor(20, TimeUnit.SECONDS);
    }

    Process second = start(config, home);
    try {
      await("all running after the restart").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
          .until(() -> {
            Map<String, String> s = states(base);
            return s.size() == 6 && s.values().stream().allMatch("RUNNING"::equals);
          });
      JsonNode events = JSON.readTree(get(base + "/events?limit=10000"));
      Map<String, Integer> started = new HashMap<>();
      Map<String, Integer> deploys = new HashMap<>();
      int resumed = 0;
      for (JsonNode e : events) {
        String kind = e.get("kind").asText();
        if (kind.equals("ACTION_STARTED")) {
          started.merge(e.get("actionKey").asText(), 1, Integer::sum);
          if (e.get("actionKey").asText().startsWith("deploy/")) {
            deploys.merge(e.get("subject").asText(), 1, Integer::sum);
          }
        } else if (kind.equals("ACTION_RESUMED")) {
          resumed++;
        }
      }
      assertThat(started.values()).as("no action key started twice").allMatch(n -> n == 1);
      assertThat(deploys).as("one deploy per VM").hasSize(6).allSatisfy((vm, n) -> assertThat(n).isEqualTo(1));
      assertThat(resumed).as("the interrupted deploys were resumed").isPositive();
      JsonNode lab = JSON.readTree(get(base + "/sim"));
      int domains = 0;
      for (JsonNode h : lab.get("hosts")) {
        domains += h.get("domains").asInt();
      }
      assertThat(domains).as("one domain per VM in the lab").isEqualTo(6);
    } finally {
      second.destroy();
      second.waitFor(30, TimeUnit.SECONDS);
      second.destroyForcibly();
    }
  }

  private Process start(Path config, Path home) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), CorralUpChild.class.getName(),
        config.toString(), home.toString())).redirectErrorStream(true).start();
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread.ofVirtual().start(() -> {
      try {
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).lines().forEach(lines::add);
      } catch (java.io.UncheckedIOException closed) {
        // The child was killed: its output ends here.
      }
    });
    await("child up").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
        .until(() -> !p.isAlive() || lines.contains("Stop with Ctrl-C."));
    assertThat(lines).as("child output").contains("Stop with Ctrl-C.");
    return p;
  }

  private Map<String, String> states(String base) throws Exception {
    Map<String, String> out = new HashMap<>();
    for (JsonNode v : JSON.readTree(get(base + "/vms"))) {
      out.put(v.get("name").asText(), v.get("state").asText());
    }
    return out;
  }

  /** A request with the admin token the first start wrote to the home (both runs share it). */
  private HttpRequest.Builder authorized(String url) {
    return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + TestTokens.admin(home));
  }

  private String get(String url) throws Exception {
    return http.send(authorized(url).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  private HttpResponse<String> post(String url, String body) throws Exception {
    return http.send(authorized(url).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
