package org.corral.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.corral.cli.Bodies.json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VmCommandsTest {
  private final FakeCorral api = FakeCorral.start();

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void createSendsEveryOptionAsAVmRequest(@TempDir Path dir) throws IOException {
    Path userData = dir.resolve("user-data.yaml");
    Files.writeString(userData, "#cloud-config\npackages: [nginx]\n");
    api.on("POST", "/vms", 201, Fixtures.vm("PENDING", null, null));

    Run r = Run.corral(api, "vm", "create", "web1", "--cpus", "2", "--memory", "2048",
        "--disk", "debian12:20", "--disk", "scratch", "--nic", "default", "--nic", "storage",
        "--requires", "host.labels[\"zone\"] == \"a\"", "--policy", "custom", "--rank", "host.free.memoryMib",
        "--affinity", "app", "--anti-affinity", "web", "--ha", "high", "--user-data", userData.toString(),
        "--label", "tier=front", "--hold");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("vm web1 created, now PENDING\n");
    assertThat(api.last().method()).isEqualTo("POST");
    assertThat(api.last().path()).isEqualTo("/vms");
    assertThat(json(api.last().body())).isEqualTo(json("""
        {"name": "web1", "cpus": 2, "memoryMib": 2048,
         "disks": [{"image": "debian12", "sizeGib": 20}, {"image": "scratch", "sizeGib": 0}],
         "nics": [{"network": "default"}, {"network": "storage"}],
         "requirements": "host.labels[\\"zone\\"] == \\"a\\"", "policy": "CUSTOM", "rank": "host.free.memoryMib",
         "affinityGroup": "app", "antiAffinityGroup": "web", "ha": "HIGH",
         "userData": "#cloud-config\\npackages: [nginx]\\n", "labels": {"tier": "front"}, "hold": true}
        """));
  }

  @Test
  void createWithOnlyTheRequiredFieldsSendsOnlyThem() {
    api.on("POST", "/vms", 201, Fixtures.vm("PENDING", null, null));

    Run r = Run.corral(api, "vm", "create", "web1", "--cpus", "2", "--memory", "2048", "--policy", "load-aware", "-o", "json");

    assertThat(r.code()).isZero();
    assertThat(json(api.last().body())).isEqualTo(json("{\"name\": \"web1\", \"cpus\": 2, \"memoryMib\": 2048, \"policy\": \"LOAD_AWARE\"}"));
    assertThat(json(r.out())).isEqualTo(json(Fixtures.vm("PENDING", null, null)));
  }

  @Test
  void listShowsOneLinePerVmWithFilters() {
    api.on("GET", "/vms?host=node1&state=RUNNING&limit=500", 200, "[" + Fixtures.vm("RUNNING", "node1", null) + "]");
    api.on("GET", "/vms?limit=500", 200, "[" + Fixtures.vm("RUNNING", "node1", null) + "," + Fixtures.DB1_PENDING + "]");

    Run filtered = Run.corral(api, "vm", "list", "--host", "node1", "--state", "running");
    assertThat(filtered.code()).as(filtered.err()).isZero();
    assertThat(api.last().query()).isEqualTo("host=node1&state=RUNNING&limit=500");

    Run all = Run.corral(api, "vm", "list");
    assertThat(all.out()).isEqualTo("""
        NAME  STATE    HOST   CPUS  MEMORY    IP        REASON
        web1  RUNNING  node1  2     2.0 GiB   10.0.0.5  -
        db1   PENDING  -      8     64.0 GiB  -         no host has 64.0 GiB free
        """);
  }

  @Test
  void listShowsBothHostsWhileMigrating() {
    api.on("GET", "/vms?limit=500", 200, "[" + Fixtures.migrating("node1", "node2") + "]");

    Run r = Run.corral(api, "vm", "list");

    assertThat(r.out()).contains("web1  MIGRATING  node1 -> node2  2");
  }

  @Test
  void showPrintsSpecLeasesAndTimes() {
    api.on("GET", "/vms/web1", 200, Fixtures.vm("RUNNING", "node1", null));

    Run r = Run.corral(api, "vm", "show", "web1");

    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("""
        Name:           web1
        UUID:           7b0c6a2e-0d5e-4c57-9d1e-3f1f6f0e8a11
        State:          RUNNING since 2026-01-01T00:05:00
        Desired:        RUNNING
        Reason:         -
        Host:           node1
        CPUs:           2
        Memory:         2.0 GiB
        Disks:          debian12 (20 GiB)
        NICs:           default 10.0.0.5 52:54:00:01:00:05
        Policy:         PACKING
        Rank:           -
        Requires:       -
        Affinity:       -
        Anti-affinity:  web
        HA:             medium
        Labels:         tier=front
        Owner:          alice
        Created:        2026-01-01T00:04:00
        """);
  }

  @Test
  void verbsPostToTheirPathsWithTheirBodies() {
    api.on("POST", "/vms/web1/start", 202, Fixtures.vm("BOOTING", "node1", null));
    api.on("POST", "/vms/web1/stop", 202, Fixtures.vm("STOPPING", "node1", null));
    api.on("POST", "/vms/web1/reboot", 202, Fixtures.vm("RUNNING", "node1", null));
    api.on("POST", "/vms/web1/migrate", 202, Fixtures.migrating("node1", "node2"));
    api.on("DELETE", "/vms/web1", 202, Fixtures.vm("STOPPING", "node1", null));
    api.on("POST", "/vms/web1/hold", 200, Fixtures.vm("HOLD", null, null));
    api.on("POST", "/vms/web1/release", 200, Fixtures.vm("PENDING", null, null));

    assertThat(Run.corral(api, "vm", "start", "web1").out()).isEqualTo("vm web1: start accepted, now BOOTING\n");
    assertThat(api.last().body()).isEmpty();

    assertThat(Run.corral(api, "vm", "stop", "web1").out()).isEqualTo("vm web1: stop accepted, now STOPPING\n");
    assertThat(json(api.last().body())).isEqualTo(json("{\"force\": false}"));
    assertThat(Run.corral(api, "vm", "stop", "web1", "--force").out()).isEqualTo("vm web1: forced stop accepted, now STOPPING\n");
    assertThat(json(api.last().body())).isEqualTo(json("{\"force\": true}"));

    assertThat(Run.corral(api, "vm", "reboot", "web1").out()).isEqualTo("vm web1: reboot accepted, now RUNNING\n");
    assertThat(api.last().body()).isEmpty();

    assertThat(Run.corral(api, "vm", "migrate", "web1", "--to", "node2").out())
        .isEqualTo("vm web1: migration to node2 accepted, now MIGRATING\n");
    assertThat(json(api.last().body())).isEqualTo(json("{\"to\": \"node2\"}"));

    assertThat(Run.corral(api, "vm", "delete", "web1").out()).isEqualTo("vm web1: delete accepted, now STOPPING\n");
    assertThat(api.last().method()).isEqualTo("DELETE");

    assertThat(Run.corral(api, "vm", "hold", "web1").out()).isEqualTo("vm web1: held, now HOLD\n");
    assertThat(api.last().path()).isEqualTo("/vms/web1/hold");
    Run release = Run.corral(api, "vm", "release", "web1", "-o", "json");
    assertThat(json(release.out()).get("state").asText()).isEqualTo("PENDING");
    assertThat(api.last().path()).isEqualTo("/vms/web1/release");
  }

  @Test
  void namesAreEncodedInPaths() {
    api.on("GET", "/vms/web%201", 404, Fixtures.problem("not-found", 404, "no VM named 'web 1'", null));

    Run r = Run.corral(api, "vm", "show", "web 1");

    assertThat(api.last().path()).isEqualTo("/vms/web%201");
    assertThat(r.code()).isEqualTo(3);
  }
}
