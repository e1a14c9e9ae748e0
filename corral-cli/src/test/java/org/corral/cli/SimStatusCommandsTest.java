package org.corral.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.corral.cli.Bodies.json;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SimStatusCommandsTest {
  private final FakeCorral api = FakeCorral.start();

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void simStatusShowsHostsAndEnergy() {
    api.on("GET", "/sim", 200, Fixtures.SIM);

    Run r = Run.corral(api, "sim", "status");

    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("""
        lab lab, energy used: 2.10 kWh
        HOST   POWER  CRASHED  PARTITIONED  BMC          STORAGE            LIBVIRTD  WATTS    ENERGY
        node1  ON     no       no           reachable    CUT (leases HELD)  STOPPED   104.5 W  104.5 Wh
        node2  OFF    YES      YES          UNREACHABLE  ok                 -         0.0 W    2.00 kWh
        """);
    assertThat(json(Run.corral(api, "sim", "status", "-o", "json").out())).isEqualTo(json(Fixtures.SIM));
  }

  @Test
  void faultInjectionPostsTheDocumentedBodies() {
    api.on("POST", "/sim/hosts/node1/crash", 200, "{}");
    api.on("POST", "/sim/hosts/node1/partition", 200, "{}");
    api.on("POST", "/sim/hosts/node1/bmc", 200, "{}");
    api.on("POST", "/sim/hosts/node1/storage", 200, "{}");
    api.on("POST", "/sim/hosts/node1/libvirtd", 200, "{}");
    api.on("POST", "/sim/vms/web1/workload", 200, "{}");
    api.on("POST", "/sim/vms/web1/fail-migrations", 200, "{}");
    api.on("POST", "/sim/vms/web1/hang", 200, "{}");
    api.on("POST", "/sim/workload", 200, "{\"vms\": 16}");

    assertThat(Run.corral(api, "sim", "crash", "node1").out()).isEqualTo("sim: host node1 crashed\n");
    assertThat(api.last().body()).isEmpty();

    assertThat(Run.corral(api, "sim", "partition", "node1", "--on").out()).isEqualTo("sim: host node1 partitioned\n");
    assertThat(json(api.last().body())).isEqualTo(json("{\"enabled\": true}"));
    Run.corral(api, "sim", "partition", "node1", "--off");
    assertThat(json(api.last().body())).isEqualTo(json("{\"enabled\": false}"));

    assertThat(Run.corral(api, "sim", "bmc", "node1", "--unreachable").out()).isEqualTo("sim: BMC of node1 is now unreachable\n");
    assertThat(json(api.last().body())).isEqualTo(json("{\"reachable\": false}"));
    Run.corral(api, "sim", "bmc", "node1", "--reachable");
    assertThat(json(api.last().body())).isEqualTo(json("{\"reachable\": true}"));

    assertThat(Run.corral(api, "sim", "storage", "node1", "--cut").out()).isEqualTo("sim: storage of node1 cut\n");
    assertThat(json(api.last().body())).isEqualTo(json("{\"cut\": true}"));
    assertThat(Run.corral(api, "sim", "storage", "node1", "--heal").out()).isEqualTo("sim: storage of node1 reconnected\n");
    assertThat(json(api.last().body())).isEqualTo(json("{\"cut\": false}"));
    Run both = Run.corral(api, "sim", "storage", "node1", "--cut", "--heal");
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).contains("mutually exclusive");

    assertThat(Run.corral(api, "sim", "libvirtd", "node1", "--stop").out()).isEqualTo("sim: libvirtd on node1 stopped\n");
    assertThat(json(api.last().body())).isEqualTo(json("{\"running\": false}"));
    assertThat(Run.corral(api, "sim", "libvirtd", "node1", "--start").out()).isEqualTo("sim: libvirtd on node1 started again\n");
    assertThat(json(api.last().body())).isEqualTo(json("{\"running\": true}"));
    Run neitherWay = Run.corral(api, "sim", "libvirtd", "node1");
    assertThat(neitherWay.code()).isEqualTo(2);
    assertThat(neitherWay.err()).contains("--stop", "--start");

    Run.corral(api, "sim", "workload", "web1", "--constant", "0.5");
    assertThat(json(api.last().body())).isEqualTo(json("{\"constant\": 0.5}"));
    Run steps = Run.corral(api, "sim", "workload", "web1", "--steps", "0:0.2,300:0.8");
    assertThat(steps.code()).as(steps.err()).isZero();
    assertThat(json(api.last().body())).isEqualTo(json("""
        {"steps": [{"atSeconds": 0, "utilisation": 0.2}, {"atSeconds": 300, "utilisation": 0.8}]}
        """));

    Run day = Run.corral(api, "sim", "workload", "--all", "--diurnal");
    assertThat(day.out()).as(day.err()).isEqualTo("sim: workload of 16 VMs set\n");
    assertThat(json(api.last().body())).isEqualTo(json("{\"diurnal\": {\"night\": 0.05, \"day\": 0.9}}"));
    Run.corral(api, "sim", "workload", "--all", "--diurnal", "0.1:0.7");
    assertThat(json(api.last().body())).isEqualTo(json("{\"diurnal\": {\"night\": 0.1, \"day\": 0.7}}"));
    Run neither = Run.corral(api, "sim", "workload", "--constant", "0.5");
    assertThat(neither.code()).isEqualTo(2);
    assertThat(neither.err()).contains("either a VM or --all");

    Run fail = Run.corral(api, "sim", "fail-migrations", "web1", "--count", "2");
    assertThat(fail.out()).isEqualTo("sim: the next 2 migration(s) of web1 will fail\n");
    assertThat(json(api.last().body())).isEqualTo(json("{\"count\": 2}"));

    assertThat(Run.corral(api, "sim", "hang", "web1").out()).isEqualTo("sim: the guest of web1 hangs (its guest agent is silent)\n");
    assertThat(json(api.last().body())).isEqualTo(json("{\"hung\": true}"));
    assertThat(Run.corral(api, "sim", "hang", "web1", "--off").out()).isEqualTo("sim: the guest of web1 answers again\n");
    assertThat(json(api.last().body())).isEqualTo(json("{\"hung\": false}"));
  }

  @Test
  void statusShowsHealthAndCountsByState() {
    // The counts come with the health answer: status reads no page of hosts or VMs.
    api.on("GET", "/health", 200, Fixtures.HEALTH);

    Run r = Run.corral(api, "status");

    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("""
        Corral:   UP at %s
        Version:  0.1.0
        Started:  2026-01-01T00:00:00
        Store:    h2:file:./var/corral
        Hosts:    2 (MAINTENANCE 1, UP 1)
        VMs:      2 (PENDING 1, RUNNING 1)
        """.formatted(api.url()));
    Run asJson = Run.corral(api, "status", "-o", "json");
    assertThat(json(asJson.out())).isEqualTo(json(Fixtures.HEALTH));
  }
}
