package org.corral.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code corral cluster ...} against a fake API: the YAML file goes as JSON, the answers are shown. */
class ClusterCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final FakeCorral api = FakeCorral.start();
  private static final String WEB = """
      {"name": "web", "owner": "alice", "desire": "RUNNING",
       "condition": {"phase": "RUNNING", "reason": "all roles ready", "since": "2026-01-01T00:00:00Z"},
       "roles": {"db": {"phase": "RUNNING", "reason": "1 of 1 members ready", "since": "2026-01-01T00:00:00Z"}},
       "counts": {"db": 1},
       "members": [{"name": "web-db-1", "role": "db", "state": "RUNNING", "host": "node01", "address": "10.0.0.2"}],
       "hooks": [], "history": ["2026-01-01T00:00:00Z accepted"], "created": "2026-01-01T00:00:00Z", "version": 3}
      """;

  @AfterEach
  void stop() {
    api.close();
  }

  private static JsonNode json(String s) {
    try {
      return JSON.readTree(s);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void applySendsTheYamlAsJsonAndShowListsRolesAndMembers() {
    api.on("POST", "/clusters", 200, WEB);
    api.on("GET", "/clusters/web", 200, WEB);
    api.on("POST", "/clusters/web/scale", 202, WEB);
    api.on("DELETE", "/clusters/web", 202, WEB);

    Run apply = Run.corral(api, "cluster", "apply", "-f", Path.of("../examples/web.yaml").toString());
    assertThat(apply.code()).as(apply.err()).isZero();
    assertThat(apply.out()).isEqualTo("cluster web applied: RUNNING (all roles ready)\n");
    JsonNode sent = json(api.last().body());
    assertThat(sent.get("name").asText()).isEqualTo("web");
    assertThat(sent.get("roles").get(1).get("dependsOn").get(0).asText()).isEqualTo("db");

    Run show = Run.corral(api, "cluster", "show", "web");
    assertThat(show.out()).contains("web: RUNNING (all roles ready), wanted RUNNING, owner alice")
        .contains("web-db-1  db    RUNNING  node01  10.0.0.2");

    Run scale = Run.corral(api, "cluster", "scale", "web", "app", "4");
    assertThat(scale.code()).isZero();
    assertThat(json(api.last().body())).isEqualTo(json("{\"role\": \"app\", \"count\": 4}"));

    assertThat(Run.corral(api, "cluster", "delete", "web").out()).isEqualTo("cluster web is being deleted\n");
  }

  @Test
  void metricsShowsThePeriodsKeptAndTheLastDecision() {
    api.on("GET", "/clusters/torque/roles/compute/metrics", 200, """
        {"cluster": "torque", "role": "compute", "count": 5, "period": "PT30S",
         "periods": [{"queue.max": 20.0, "cpu.mean": 0.5}, {"queue.max": 22.0, "cpu.mean": 0.6}],
         "current": {"queue": [21.0]}, "periodEnds": "2026-01-01T00:01:00Z", "scaledAt": "2026-01-01T00:00:30Z",
         "elasticity": "COOLDOWN", "reason": "cooling down until 2026-01-01T00:03:30Z"}
        """);
    Run r = Run.corral(api, "cluster", "metrics", "torque", "compute");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("torque/compute: count 5, period PT30S, elasticity COOLDOWN (cooling down until 2026-01-01T00:03:30Z)")
        .contains("PERIOD  cpu.mean  queue.max")
        .contains("-1      0.6       22.0")
        .contains("this period: queue [21.0]");
  }

  @Test
  void aFileThatIsNotYamlIsAUsageErrorNamingIt(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.yaml");
    java.nio.file.Files.writeString(bad, "name: [unclosed\n");
    Run r = Run.corral(api, "cluster", "plan", "-f", bad.toString());
    assertThat(r.code()).isNotZero();
    assertThat(r.err()).contains("--file").contains("not valid YAML");
    assertThat(api.requests()).isEmpty();
  }
}
