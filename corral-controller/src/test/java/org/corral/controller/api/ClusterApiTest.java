package org.corral.controller.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Virtual clusters over HTTP on a real Corral (simulated lab, real time): bad specs, plan, apply, show, scale, stop, delete. */
class ClusterApiTest {
  @TempDir
  static Path home;
  static RunningCorral corral;
  static ApiClient api;
  static final String SPEC = """
      {"name": "web", "template": {"cpus": 1, "memoryMib": 512, "image": "img1", "networks": ["net1"]},
       "roles": [
         {"name": "db", "hooks": [{"on": "onCreate", "command": ["systemctl", "start", "postgresql"]}]},
         {"name": "app", "count": 2, "min": 1, "max": 3, "dependsOn": ["db"],
          "hooks": [{"on": "onMemberJoin", "runOn": "db", "command": ["allow", "{{member.address}}"]}]}]}
      """;

  @BeforeAll
  static void start() {
    corral = new RunningCorral(home);
    api = corral.api;
  }

  @AfterAll
  static void stop() {
    if (corral != null) {
      corral.close();
    }
  }

  private static JsonNode cluster(String name) {
    ApiClient.Reply r = api.get("/api/v1/clusters/" + name);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json();
  }

  @Test
  void aClusterOverHttpFromPlanToDelete() {
    ApiClient.Reply bad = api.post("/api/v1/clusters", "{\"name\": \"c\", \"roles\": [{\"name\": \"a\", \"dependsOn\": [\"a2\"]}]}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.text()).contains("roles[0].dependsOn[0]").contains("unknown role 'a2'");
    assertThat(api.post("/api/v1/clusters", "{\"name\": \"c\", \"roles\": [{\"name\": \"a\", \"template\": {\"cpus\": 64}}]}").text())
        .contains("roles[0].template").contains("fits no host");

    ApiClient.Reply plan = api.post("/api/v1/clusters/plan", SPEC);
    assertThat(plan.status()).as(plan.toString()).isEqualTo(200);
    assertThat(plan.json().get("create").get(0).asText()).startsWith("web-db-1");
    assertThat(api.get("/api/v1/clusters/web").status()).as("plan changes nothing").isEqualTo(404);
    assertThat(api.get("/api/v1/vms/web-db-1").status()).isEqualTo(404);

    ApiClient.Reply applied = api.post("/api/v1/clusters", SPEC);
    assertThat(applied.status()).as(applied.toString()).isEqualTo(200);
    long version = applied.json().get("version").asLong();
    RunningCorral.eventually().until(() -> "RUNNING".equals(cluster("web").get("condition").get("phase").asText()));
    JsonNode web = cluster("web");
    assertThat(web.get("members")).hasSize(3);
    assertThat(web.get("history").toString()).contains("onMemberJoin on web-db-1: allow 10.10.0.");
    assertThat(api.post("/api/v1/clusters", SPEC).json().get("version").asLong()).as("apply is idempotent")
        .isGreaterThanOrEqualTo(version);

    JsonNode metrics = api.get("/api/v1/clusters/web/roles/app/metrics").json();
    assertThat(metrics.get("count").asInt()).isEqualTo(2);
    assertThat(metrics.get("periods").isArray()).isTrue();
    assertThat(metrics.get("elasticity").isNull()).as("no elasticity declared").isTrue();
    assertThat(api.get("/api/v1/clusters/web/roles/nope/metrics").status()).isEqualTo(404);
    assertThat(api.post("/api/v1/clusters/web/scale", "{\"role\": \"app\", \"count\": 9}").status()).isEqualTo(400);
    assertThat(api.post("/api/v1/clusters/web/scale", "{\"role\": \"app\", \"count\": 1}").status()).isEqualTo(202);
    RunningCorral.eventually().until(() -> cluster("web").get("members").size() == 2
        && "RUNNING".equals(cluster("web").get("condition").get("phase").asText()));

    assertThat(api.post("/api/v1/clusters/web/stop", "").status()).isEqualTo(202);
    RunningCorral.eventually().until(() -> "DONE".equals(cluster("web").get("condition").get("phase").asText()));
    assertThat(corral.vm("web-db-1").get("state").asText()).isEqualTo("STOPPED");

    assertThat(api.delete("/api/v1/clusters/web").status()).isEqualTo(202);
    RunningCorral.eventually().until(() -> api.get("/api/v1/clusters/web").status() == 404);
    assertThat(api.get("/api/v1/vms/web-db-1").status()).isEqualTo(404);
  }
}
