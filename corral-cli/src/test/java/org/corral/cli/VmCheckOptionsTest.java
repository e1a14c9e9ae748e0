package org.corral.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.corral.cli.Bodies.json;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** `corral vm create --check`: every check kind, restart commands and dependencies as the request's services. */
class VmCheckOptionsTest {
  private final FakeCorral api = FakeCorral.start();

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void checksBecomeTheRequestsServices() {
    api.on("POST", "/vms", 201, Fixtures.vm("PENDING", null, null));

    Run r = Run.corral(api, "vm", "create", "web1", "--cpus", "1", "--memory", "512",
        "--check", "db=script:/etc/corral/checks/db",
        "--check", "load=nagios:/usr/lib/nagios/plugins/check_load -w 5,4,3 -c 9,8,7",
        "--check", "ssh=tcp:22",
        "--check", "web=http:8080/health",
        "--check-restart", "web=systemctl restart nginx",
        "--check-after", "web=db,load");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(json(api.last().body())).isEqualTo(json("""
        {"name": "web1", "cpus": 1, "memoryMib": 512, "services": [
          {"name": "db", "kind": "SCRIPT", "command": ["/etc/corral/checks/db"]},
          {"name": "load", "kind": "NAGIOS", "command": ["/usr/lib/nagios/plugins/check_load", "-w", "5,4,3", "-c", "9,8,7"]},
          {"name": "ssh", "kind": "TCP", "port": 22},
          {"name": "web", "kind": "HTTP", "port": 8080, "path": "/health", "restart": ["systemctl", "restart", "nginx"],
           "after": ["db", "load"]}]}
        """));
  }

  @Test
  void aBadCheckSaysHowToWriteItAndSendsNothing() {
    Run kind = Run.corral(api, "vm", "create", "web1", "--cpus", "1", "--memory", "512", "--check", "web=ftp:21");
    Run port = Run.corral(api, "vm", "create", "web1", "--cpus", "1", "--memory", "512", "--check", "web=http:x/health");
    Run undeclared = Run.corral(api, "vm", "create", "web1", "--cpus", "1", "--memory", "512", "--check-after", "web=db");

    assertThat(kind.code()).isNotZero();
    assertThat(kind.err()).contains("--check web", "tcp:PORT");
    assertThat(port.err()).contains("'x' is not a port number", "web=http:8080/health");
    assertThat(undeclared.err()).contains("--check-after", "not a service given with --check");
    assertThat(api.requests()).isEmpty();
  }

  @Test
  void dependsOnBecomesTheRequestsDependencies() {
    api.on("POST", "/vms", 201, Fixtures.vm("PENDING", null, null));

    Run r = Run.corral(api, "vm", "create", "app1", "--cpus", "1", "--memory", "512", "--depends-on", "db1,cache1", "--depends-on", "mq1");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(json(api.last().body())).isEqualTo(json("""
        {"name": "app1", "cpus": 1, "memoryMib": 512, "dependsOn": ["db1", "cache1", "mq1"]}
        """));
  }

  @Test
  void showPrintsEachServicesStateAndTheDependencies() {
    api.on("GET", "/vms/web1", 200, Fixtures.vm("RUNNING", "node1", null)
        .replace("\"labels\": {\"tier\": \"front\"}}", "\"labels\": {\"tier\": \"front\"}, \"dependsOn\": [\"db1\"]}")
        .replace("\"leases\":", """
            "services": [
              {"name": "web", "state": "FAILING", "failures": 4, "reason": "exit 2: nginx: connection refused", "restarts": 1,
               "lastCheck": "2026-01-01T00:06:00Z", "pausedUntil": null},
              {"name": "app", "state": "PAUSED", "failures": 1, "reason": "flapping: 5 restarts within 60 s", "restarts": 5,
               "lastCheck": "2026-01-01T00:06:00Z", "pausedUntil": "2026-01-01T00:16:00Z"},
              {"name": "db", "state": "GAVE_UP", "failures": 12, "reason": "exit 1: down", "restarts": 3,
               "lastCheck": "2026-01-01T00:06:00Z", "pausedUntil": null},
              {"name": "ssh", "state": "UNCHECKED", "failures": 0, "reason": "not checked yet", "restarts": 0,
               "lastCheck": null, "pausedUntil": null}],
            "leases":"""));

    Run r = Run.corral(api, "vm", "show", "web1");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains(
        "Depends on:     db1\n",
        "Service web:    failing: 4 failed checks in a row, 1 restart; exit 2: nginx: connection refused\n",
        "Service app:    paused until 2026-01-01T00:16:00: 1 failed check in a row, 5 restarts; flapping: 5 restarts within 60 s\n",
        "Service db:     gave up: 12 failed checks in a row, 3 restarts; exit 1: down\n",
        "Service ssh:    unchecked\n");
  }
}
