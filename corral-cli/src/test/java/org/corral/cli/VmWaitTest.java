package org.corral.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.corral.cli.Bodies.json;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** --wait polls GET /vms/NAME on the session clock: virtual here, so minutes pass in no time. */
class VmWaitTest {
  private final FakeCorral api = FakeCorral.start();
  private final AutoAdvancingClock clock = new AutoAdvancingClock();
  private final Main main = new Main((config, home, listen, db) -> 0);

  @AfterEach
  void stop() {
    api.close();
  }

  private Run corral(String... args) {
    return Run.with(main, clock, Run.env(api), args);
  }

  @Test
  void createWaitsThroughPendingUntilRunning() {
    api.on("POST", "/vms", 201, Fixtures.vm("PENDING", null, null));
    api.on("GET", "/vms/web1", 200, Fixtures.vm("PENDING", null, null));
    api.on("GET", "/vms/web1", 200, Fixtures.vm("PROVISIONING", "node1", null));
    api.on("GET", "/vms/web1", 200, Fixtures.vm("PROVISIONING", "node1", null));
    api.on("GET", "/vms/web1", 200, Fixtures.vm("RUNNING", "node1", null));
    Instant start = clock.now();

    Run r = corral("vm", "create", "web1", "--cpus", "2", "--memory", "2048", "--wait");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("""
        vm web1 created, now PENDING
        vm web1: PENDING
        vm web1: PROVISIONING on node1
        vm web1: RUNNING on node1
        """);
    assertThat(api.requests()).extracting(FakeCorral.Request::method).containsExactly("POST", "GET", "GET", "GET", "GET");
    // Three pauses of the default 0.5 s between four polls.
    assertThat(Duration.between(start, clock.now())).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void waitWorksOnTheWallClockWithAShortPollInterval() {
    api.on("POST", "/vms", 201, Fixtures.vm("PENDING", null, null));
    api.on("GET", "/vms/web1", 200, Fixtures.vm("PENDING", null, null));
    api.on("GET", "/vms/web1", 200, Fixtures.vm("RUNNING", "node1", null));

    Run r = Run.corral(api, "vm", "create", "web1", "--cpus", "2", "--memory", "2048", "--wait", "--poll-interval", "1ms", "-o", "json");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(json(r.out())).isEqualTo(json(Fixtures.vm("RUNNING", "node1", null)));
  }

  @Test
  void givesUpWithExit7AndTheReasonWhenStillPendingAtTheDeadline() {
    api.on("POST", "/vms", 201, Fixtures.DB1_PENDING);
    api.on("GET", "/vms/db1", 200, Fixtures.DB1_PENDING);
    Instant start = clock.now();

    Run r = corral("vm", "create", "db1", "--cpus", "8", "--memory", "65536", "--wait", "--timeout", "30s", "--poll-interval", "5s");

    assertThat(r.code()).isEqualTo(7);
    assertThat(r.err()).isEqualTo(
        "error: gave up after 30s waiting for db1 to be RUNNING: it is PENDING (no host has 64.0 GiB free)\n");
    assertThat(Duration.between(start, clock.now())).isEqualTo(Duration.ofSeconds(30));
    // One poll at 0 s and one after each of six 5 s pauses.
    assertThat(api.requests()).filteredOn(q -> q.method().equals("GET")).hasSize(7);
  }

  @Test
  void givesUpAtOnceWhenTheVmFails() {
    api.on("POST", "/vms/web1/start", 202, Fixtures.vm("BOOTING", "node1", null));
    api.on("GET", "/vms/web1", 200, Fixtures.vm("FAILED", "node1", "disk image debian12 is missing on node1"));

    Run r = corral("vm", "start", "web1", "--wait");

    assertThat(r.code()).isEqualTo(7);
    assertThat(r.err()).isEqualTo("error: web1 FAILED (disk image debian12 is missing on node1)\n");
    assertThat(api.requests()).hasSize(2);
  }

  @Test
  void stopWaitsForStopped() {
    api.on("POST", "/vms/web1/stop", 202, Fixtures.vm("STOPPING", "node1", null));
    api.on("GET", "/vms/web1", 200, Fixtures.vm("STOPPING", "node1", null));
    api.on("GET", "/vms/web1", 200, Fixtures.vm("STOPPED", "node1", null));

    Run r = corral("vm", "stop", "web1", "--wait");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).endsWith("vm web1: STOPPED on node1\n");
  }

  @Test
  void migrateWaitsUntilRunningOnTheTarget() {
    api.on("POST", "/vms/web1/migrate", 202, Fixtures.migrating("node1", "node2"));
    api.on("GET", "/vms/web1", 200, Fixtures.migrating("node1", "node2"));
    api.on("GET", "/vms/web1", 200, Fixtures.vm("RUNNING", "node2", null));

    Run r = corral("vm", "migrate", "web1", "--to", "node2", "--wait");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("""
        vm web1: migration to node2 accepted, now MIGRATING
        vm web1: MIGRATING on node1 -> node2
        vm web1: RUNNING on node2
        """);
  }

  @Test
  void migrateEndsWithTheFailedActionNotTheTimeout() {
    // Issue 26 item 9: the migration failed within a second and the VM was back on its source,
    // but --wait sat out its whole 2-minute timeout.
    api.on("POST", "/vms/web1/migrate", 202, Fixtures.withAction(Fixtures.migrating("node1", "node2"), "migrate/web1/7"));
    api.on("GET", "/vms/web1", 200, Fixtures.withAction(Fixtures.migrating("node1", "node2"), "migrate/web1/7"));
    api.on("GET", "/vms/web1", 200, Fixtures.vm("RUNNING", "node1", "migration to node2 failed: connection reset"));
    api.on("GET", "/actions/migrate/web1/7", 200, Fixtures.action("migrate/web1/7", "FAILED", "connection reset"));
    Instant start = clock.now();

    Run r = corral("vm", "migrate", "web1", "--to", "node2", "--wait");

    assertThat(r.code()).isEqualTo(7);
    assertThat(r.err()).isEqualTo("error: action migrate/web1/7 FAILED: connection reset; web1 is RUNNING on node1"
        + " (migration to node2 failed: connection reset)\n");
    assertThat(Duration.between(start, clock.now())).as("one pause between two polls").isEqualTo(Duration.ofMillis(500));
    assertThat(api.requests()).extracting(FakeCorral.Request::path).endsWith("/vms/web1", "/actions/migrate/web1/7");
  }

  @Test
  void aRejectedActionEndsTheWaitWithItsReason() {
    api.on("POST", "/vms/web1/start", 202, Fixtures.withAction(Fixtures.vm("STOPPED", "node1", null), "start/web1/4"));
    api.on("GET", "/vms/web1", 200, Fixtures.vm("STOPPED", "node1", null));
    api.on("GET", "/actions/start/web1/4", 200, Fixtures.action("start/web1/4", "REJECTED", "host node1 is MAINTENANCE"));

    Run r = corral("vm", "start", "web1", "--wait", "-o", "json");

    assertThat(r.code()).isEqualTo(7);
    assertThat(r.err()).startsWith("error: action start/web1/4 REJECTED: host node1 is MAINTENANCE; web1 is STOPPED on node1");
  }

  @Test
  void aNewVmIsFollowedThroughTheActionItIsFirstSeenWith() {
    api.on("POST", "/vms", 201, Fixtures.vm("PENDING", null, null));
    api.on("GET", "/vms/web1", 200, Fixtures.withAction(Fixtures.vm("PROVISIONING", "node1", null), "deploy/web1/2"));
    api.on("GET", "/vms/web1", 200, Fixtures.vm("STOPPED", "node1", "boot failed: no bootable disk"));
    api.on("GET", "/actions/deploy/web1/2", 200, Fixtures.action("deploy/web1/2", "FAILED", "no bootable disk"));

    Run r = corral("vm", "create", "web1", "--cpus", "2", "--memory", "2048", "--wait");

    assertThat(r.code()).isEqualTo(7);
    assertThat(r.err()).startsWith("error: action deploy/web1/2 FAILED: no bootable disk");
  }

  @Test
  void aSucceededActionEndsTheWaitEvenIfTheVmMovedOn() {
    api.on("POST", "/vms/web1/stop", 202, Fixtures.withAction(Fixtures.vm("STOPPING", "node1", null), "stop/web1/3"));
    api.on("GET", "/vms/web1", 200, Fixtures.vm("RUNNING", "node1", "started again by bob"));
    api.on("GET", "/actions/stop/web1/3", 200, Fixtures.action("stop/web1/3", "SUCCEEDED", null));

    Run r = corral("vm", "stop", "web1", "--wait", "--timeout", "30s");

    assertThat(r.code()).as(r.err()).isZero();
  }

  @Test
  void deleteWaitsUntilTheVmIsGone() {
    api.on("DELETE", "/vms/web1", 202, Fixtures.vm("STOPPING", "node1", null));
    api.on("GET", "/vms/web1", 200, Fixtures.vm("STOPPING", "node1", null));
    api.on("GET", "/vms/web1", 404, Fixtures.problem("not-found", 404, "no VM named web1", null));

    Run r = corral("vm", "delete", "web1", "--wait", "-o", "json");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEmpty();
  }
}
