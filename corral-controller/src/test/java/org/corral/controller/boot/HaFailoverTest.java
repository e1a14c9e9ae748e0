package org.corral.controller.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.corral.controller.api.FollowerApi;
import org.corral.controller.store.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two `corral up` processes share one PostgreSQL database (corral.yaml's ha section). The one
 * elected serves the API; the other sends every request to it (307). The leader is killed with
 * SIGKILL: the other leads once the lease (3 s) has run out, carries on the work, and nothing the
 * API accepted is lost or done twice.
 */
class HaFailoverTest {
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  @TempDir
  Path dir;

  static TestPostgres database() {
    return TestPostgres.require("the controller HA tests");
  }

  static String vm(String name) {
    return "{\"name\": \"" + name + "\", \"cpus\": 1, \"memoryMib\": 1024}";
  }

  @Test
  void theFollowerLeadsOnceTheLeaseRanOutAfterTheLeaderIsKilledAndNothingIsLostOrRepeated() throws Exception {
    try (HaCluster ha = new HaCluster(database(), dir, List.of("c1", "c2"))) {
      ha.start("c1");
      ha.token();
      assertThat(ha.awaitLeader(Duration.ofSeconds(180), List.of("c1"))).isEqualTo("c1");
      ha.start("c2");
      await("c2 follows").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> "follower".equals(ha.role("c2")));

      // The follower sends a write to the leader, method and body kept.
      HttpResponse<String> redirect = ha.postNoFollow("c2", "/vms", vm("web1"));
      assertThat(redirect.statusCode()).isEqualTo(307);
      assertThat(redirect.headers().firstValue("Location")).contains(ha.api("c1") + "/vms");
      for (String name : List.of("web1", "web2", "web3")) {
        HttpResponse<String> r = ha.post("c2", "/vms", vm(name));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      }
      await("all running on c1").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
          .until(() -> ha.states("c1").values().stream().filter("RUNNING"::equals).count() == 3);

      // The follower reads VMs and hosts from the database itself, as the token's user may see them.
      HttpResponse<String> vms = ha.getNoFollow("c2", "/vms", ha.token());
      assertThat(vms.statusCode()).as(vms.body()).isEqualTo(200);
      assertThat(vms.headers().firstValue(FollowerApi.READ_FROM)).contains("database");
      assertThat(JSON.readTree(vms.body()).findValuesAsText("state")).containsExactly("RUNNING", "RUNNING", "RUNNING");
      assertThat(JSON.readTree(vms.body()).findValuesAsText("name")).containsExactly("web1", "web2", "web3");
      HttpResponse<String> one = ha.getNoFollow("c2", "/vms/web2", ha.token());
      assertThat(one.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(one.body()).get("host").asText()).isEqualTo(ha.get("c1", "/vms/web2").get("host").asText());
      assertThat(ha.getNoFollow("c2", "/vms/nope", ha.token()).statusCode()).isEqualTo(404);
      HttpResponse<String> hosts = ha.getNoFollow("c2", "/hosts", ha.token());
      assertThat(hosts.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(hosts.body()).findValuesAsText("name")).containsExactly("node01", "node02", "node03");
      assertThat(ha.getNoFollow("c2", "/vms", "").statusCode()).as("no token, no read").isEqualTo(401);
      assertThat(ha.getNoFollow("c2", "/vms", "corral_nope_nope").statusCode()).as("a wrong token").isEqualTo(401);
      assertThat(ha.getNoFollow("c2", "/actions", ha.token()).statusCode()).as("other reads go to the leader").isEqualTo(307);
      HttpResponse<String> health = ha.getNoFollow("c2", "/health", ha.token());
      assertThat(JSON.readTree(health.body()).at("/status").asText()).isEqualTo("FOLLOWER");
      assertThat(JSON.readTree(health.body()).at("/vmsByState/RUNNING").asInt()).as("corral status through a follower").isEqualTo(3);
      assertThat(JSON.readTree(health.body()).at("/hosts").asInt()).isEqualTo(3);
      assertThat(JSON.readTree(ha.getNoFollow("c2", "/health", "").body()).has("vms")).as("no counts without a token").isFalse();

      ha.kill("c1");
      long killed = System.nanoTime();
      assertThat(ha.awaitLeader(Duration.ofSeconds(30), List.of("c2"))).isEqualTo("c2");
      double failover = (System.nanoTime() - killed) / 1e9;
      System.out.printf("failover after kill -9 of the leader: %.2f s%n", failover);
      // The 5 s target is bench/failover's (timed over many runs); here only that the lease, not
      // some longer timeout, decides: 3 s of lease and the new leader's start, with room for a busy
      // machine (13 s seen at a load average of 20 on 2 cores).
      assertThat(failover).as("a new leader once the lease ran out").isLessThan(30.0);

      HttpResponse<String> r = ha.post("c2", "/vms", vm("web4"));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      await("all running on c2").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
          .until(() -> {
            Map<String, String> s = ha.states("c2");
            return s.size() == 4 && s.values().stream().allMatch("RUNNING"::equals);
          });
      HaCluster.Tally t = ha.tally("c2");
      assertThat(t.started().values()).as("no action started twice across the failover").allMatch(n -> n == 1);
      assertThat(t.created()).as("each VM created once").containsOnlyKeys("web1", "web2", "web3", "web4")
          .allSatisfy((vm, n) -> assertThat(n).isEqualTo(1));
      assertThat(t.leaders()).as("each change of leader journaled").isEqualTo(2);
      assertThat(ha.get("c2", "/health").at("/ha/epoch").asLong()).isEqualTo(2);
      assertThat(ha.get("c2", "/health").at("/ha/leader").asText()).isEqualTo("c2");
    }
  }
}
