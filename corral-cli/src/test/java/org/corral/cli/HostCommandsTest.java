package org.corral.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.corral.cli.Bodies.json;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HostCommandsTest {
  private final FakeCorral api = FakeCorral.start();

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void listShowsAlignedColumnsWithHumanUnits() {
    api.on("GET", "/hosts", 200, Fixtures.HOSTS);

    Run r = Run.corral(api, "host", "list");

    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("""
        NAME   STATE        CPUS  MEMORY            VMS  CPU  WATTS    REASON
        node1  UP           4/16  8.0 GiB/64.0 GiB  2    12%  104.5 W  -
        node2  MAINTENANCE  0/8   0 MiB/32.0 GiB    0    0%   61.0 W   disk swap
        """);
    assertThat(api.last().method()).isEqualTo("GET");
    assertThat(api.last().path()).isEqualTo("/hosts");
  }

  @Test
  void listInJsonPrintsTheApiAnswerAsIs() {
    api.on("GET", "/hosts", 200, Fixtures.HOSTS);

    Run r = Run.corral(api, "host", "list", "-o", "json");

    assertThat(r.code()).isZero();
    assertThat(json(r.out())).isEqualTo(json(Fixtures.HOSTS));
    assertThat(r.out()).contains("\n  ");
  }

  @Test
  void globalOptionsWorkBeforeTheSubcommandToo() {
    api.on("GET", "/hosts", 200, Fixtures.HOSTS);

    Run r = Run.with(Run.env(null), "--api", api.url(), "--output", "json", "host", "list");

    assertThat(r.code()).isZero();
    assertThat(json(r.out())).isEqualTo(json(Fixtures.HOSTS));
  }

  @Test
  void showPrintsDetailsWithLocalTimes() {
    api.on("GET", "/hosts/node1", 200, Fixtures.NODE1);

    Run r = Run.with(envIn(api, "Europe/Paris"), "host", "show", "node1");

    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("""
        Name:          node1
        URI:           qemu+ssh://root@node1/system
        State:         UP since 2026-01-01T01:00:00
        Reason:        -
        Capacity:      16 cores x 2600 MHz, 64.0 GiB
        Reserved:      4 vCPUs, 8.0 GiB
        VMs:           2
        CPU:           12%
        Power draw:    104.5 W
        Power on:      ipmi://admin@10.0.0.11
        Power off:     -
        MAC:           aa:bb:cc:dd:ee:ff
        Soft fencing:  ssh://root@node1
        Lock manager:  sanlock, leases in /var/lib/libvirt/sanlock
        Storage:       leases EXPIRED: it lost the shared storage, no VM on shared storage is placed here
        Power model:   90.0 W idle, 250.0 W at full load
        Labels:        rack=r1,zone=a
        """);
  }

  @Test
  void addSendsAFullHostRequest() {
    api.on("POST", "/hosts", 201, Fixtures.NODE1);

    Run r = Run.corral(api, "host", "add", "node1", "--uri", "qemu+ssh://root@node1/system",
        "--cores", "16", "--mhz", "2600", "--memory", "65536", "--label", "zone=a", "--label", "rack=r1",
        "--power", "ipmi://admin@10.0.0.11", "--power-off", "ipmi://admin@10.0.0.11", "--mac", "aa:bb:cc:dd:ee:ff",
        "--idle-watts", "90", "--max-watts", "250");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("host node1 added, now UP\n");
    assertThat(api.last().method()).isEqualTo("POST");
    assertThat(api.last().path()).isEqualTo("/hosts");
    assertThat(json(api.last().body())).isEqualTo(json("""
        {"name": "node1", "uri": "qemu+ssh://root@node1/system",
         "capacity": {"cores": 16, "mhzPerCore": 2600, "memoryMib": 65536},
         "labels": {"zone": "a", "rack": "r1"},
         "power": {"on": "ipmi://admin@10.0.0.11", "off": "ipmi://admin@10.0.0.11", "mac": "aa:bb:cc:dd:ee:ff"},
         "powerModel": {"idleWatts": 90.0, "maxWatts": 250.0}}
        """));
  }

  @Test
  void addSendsSoftFencingAndTheLockManagerAsCorralYamlHasThem() {
    api.on("POST", "/hosts", 201, Fixtures.NODE1);

    Run r = Run.corral(api, "host", "add", "node1", "--uri", "qemu+ssh://root@node1/system",
        "--power-soft", "ssh://root@node1?identity=/etc/corral/ssh/id_ecdsa", "--lock-manager", "SanLock",
        "--lease-dir", "/var/lib/libvirt/sanlock");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(json(api.last().body())).isEqualTo(json("""
        {"name": "node1", "uri": "qemu+ssh://root@node1/system",
         "power": {"on": null, "off": null, "mac": null, "soft": "ssh://root@node1?identity=/etc/corral/ssh/id_ecdsa"},
         "lockManager": {"kind": "SANLOCK", "leaseDir": "/var/lib/libvirt/sanlock"}}
        """));
    Run.corral(api, "host", "add", "node1", "--uri", "qemu:///system", "--lock-manager", "virtlockd");
    assertThat(json(api.last().body())).isEqualTo(json("""
        {"name": "node1", "uri": "qemu:///system", "lockManager": {"kind": "LOCKD", "leaseDir": null}}
        """));

    int posts = api.requests().size();
    Run bad = Run.corral(api, "host", "add", "node1", "--uri", "qemu:///system", "--lock-manager", "flock");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--lock-manager").contains("'flock' is not a lock manager; give sanlock, lockd or none");
    assertThat(api.requests()).as("nothing sent").hasSize(posts);
  }

  @Test
  void addWithoutCapacityLeavesItToTheHypervisor() {
    api.on("POST", "/hosts", 201, Fixtures.NODE1);

    Run r = Run.corral(api, "host", "add", "node1", "--uri", "qemu:///system", "-o", "json");

    assertThat(r.code()).isZero();
    assertThat(json(api.last().body())).isEqualTo(json("{\"name\": \"node1\", \"uri\": \"qemu:///system\"}"));
    assertThat(json(r.out())).isEqualTo(json(Fixtures.NODE1));
  }

  @Test
  void removeSaysSoAndPrintsNothingInJson() {
    api.on("DELETE", "/hosts/node2", 204, null);

    Run table = Run.corral(api, "host", "remove", "node2");
    Run asJson = Run.corral(api, "host", "remove", "node2", "-o", "json");

    assertThat(table.code()).isZero();
    assertThat(table.out()).isEqualTo("host node2 removed\n");
    assertThat(asJson.code()).isZero();
    assertThat(asJson.out()).isEmpty();
    assertThat(api.last().method()).isEqualTo("DELETE");
  }

  @Test
  void maintenanceOnAndOffPostTheFlag() {
    api.on("POST", "/hosts/node2/maintenance", 200, Fixtures.NODE2_MAINTENANCE);

    Run on = Run.corral(api, "host", "maintenance", "node2", "--on");
    assertThat(on.code()).isZero();
    assertThat(on.out()).isEqualTo("host node2: maintenance on, now MAINTENANCE\n");
    assertThat(json(api.last().body())).isEqualTo(json("{\"enabled\": true}"));

    Run off = Run.corral(api, "host", "maintenance", "node2", "--off");
    assertThat(off.code()).isZero();
    assertThat(json(api.last().body())).isEqualTo(json("{\"enabled\": false}"));
  }

  @Test
  void powerOnAndOffPostWithoutBody() {
    api.on("POST", "/hosts/node2/power-on", 202, Fixtures.NODE2_MAINTENANCE.replace("MAINTENANCE", "POWERING_ON"));
    api.on("POST", "/hosts/node2/power-off", 202, Fixtures.NODE2_MAINTENANCE.replace("MAINTENANCE", "POWERING_OFF"));

    Run on = Run.corral(api, "host", "power-on", "node2");
    assertThat(on.out()).isEqualTo("host node2: power-on accepted, now POWERING_ON\n");
    assertThat(api.last().path()).isEqualTo("/hosts/node2/power-on");
    assertThat(api.last().body()).isEmpty();

    Run off = Run.corral(api, "host", "power-off", "node2", "-o", "json");
    assertThat(off.code()).isZero();
    assertThat(json(off.out()).get("state").asText()).isEqualTo("POWERING_OFF");
    assertThat(api.last().path()).isEqualTo("/hosts/node2/power-off");
  }

  @Test
  void confirmOffPostsWithoutBodyAndSaysWhatFollows() {
    api.on("POST", "/hosts/node2/confirm-off", 200, Fixtures.NODE2_MAINTENANCE.replace("MAINTENANCE", "DOWN"));

    Run r = Run.corral(api, "host", "confirm-off", "node2");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("host node2: confirmed off; its VMs restart elsewhere, now DOWN\n");
    assertThat(api.last().path()).isEqualTo("/hosts/node2/confirm-off");
    assertThat(api.last().body()).isEmpty();
  }

  @Test
  void activateTakesTheHostOutOfMaintenance() {
    api.on("POST", "/hosts/node2/maintenance", 200, Fixtures.NODE2_MAINTENANCE.replace("MAINTENANCE", "UP"));

    Run r = Run.corral(api, "host", "activate", "node2");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("host node2: maintenance off, now UP\n");
    assertThat(json(api.last().body())).isEqualTo(json("{\"enabled\": false}"));
  }

  @Test
  void checkListsEachCheckAndFailsWhenOneFails() {
    api.on("POST", "/hosts/node1/check", 200, Fixtures.CHECK_FAILED);

    Run r = Run.corral(api, "host", "check", "node1");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).isEqualTo("""
        RESULT  CHECK       DETAIL
        ok      hypervisor  QEMU 9.2, 16 cores
        FAIL    power       BMC 10.0.0.11 did not answer within 5s
        host node1: some checks FAILED
        """);
  }

  @Test
  void checkExitsZeroWhenAllPassInBothModes() {
    api.on("POST", "/hosts/node1/check", 200, Fixtures.CHECK_OK);

    Run table = Run.corral(api, "host", "check", "node1");
    Run asJson = Run.corral(api, "host", "check", "node1", "-o", "json");

    assertThat(table.code()).isZero();
    assertThat(table.out()).endsWith("host node1: all checks passed\n");
    assertThat(asJson.code()).isZero();
    assertThat(json(asJson.out())).isEqualTo(json(Fixtures.CHECK_OK));
  }

  private static java.util.Map<String, String> envIn(FakeCorral api, String tz) {
    java.util.Map<String, String> env = Run.env(api);
    env.put("TZ", tz);
    return env;
  }
}
