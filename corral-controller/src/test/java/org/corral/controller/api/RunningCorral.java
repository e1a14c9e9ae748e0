package org.corral.controller.api;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.awaitility.core.ConditionFactory;
import org.corral.controller.boot.CorralRuntime;
import org.corral.controller.config.ConfigReader;
import org.corral.controller.config.CorralConfig;
import org.corral.model.time.SystemClock;

/**
 * A whole Corral on real time, as `corral up` starts it: a configuration read from YAML, the
 * embedded H2 store under a temporary home, a small simulated lab with near-instant latencies,
 * and the HTTP API on a free loopback port. Tests talk to it only over HTTP.
 */
final class RunningCorral implements AutoCloseable {
  static final String LAB_YAML = """
      controller: {monitorPeriod: 200ms, schedulerPeriod: 200ms, utilisationWindow: 2}
      api: {listen: "127.0.0.1:0"}
      ec2: {listen: "127.0.0.1:0"}
      lab:
        name: t
        stateFile: false
        latencies: {define: 0s, boot: 100ms, shutdown: 100ms, migrationBase: 100ms, migrationMibPerSecond: 100000,
                    powerOn: 100ms, powerOff: 100ms}
        hosts:
          - {prefix: t, count: 4, cores: 8, mhz: 2400, memoryMib: 16384, idleWatts: 50, maxWatts: 150, labels: {rack: r1}}
      networks:
        - {name: net1, bridge: br0, cidr: 10.10.0.0/24, gateway: 10.10.0.1}
      images:
        - {name: img1, pool: default, volume: img1.qcow2, format: qcow2, sizeGib: 2, shared: true}
      """;
  static final List<String> HOSTS = List.of("t01", "t02", "t03", "t04");

  final SystemClock clock = new SystemClock("test-loop");
  final CorralRuntime runtime;
  final ApiClient api;

  RunningCorral(Path home) {
    this(home, "{listen: \"127.0.0.1:0\"}");
  }

  /** With corral.yaml's api section replaced by {@code apiSection} (a YAML flow mapping). */
  RunningCorral(Path home, String apiSection) {
    this(home, ConfigReader.parse(LAB_YAML.replace("api: {listen: \"127.0.0.1:0\"}", "api: " + apiSection), "test lab", Map.of()), d -> {});
  }

  /** With its own configuration and {@code realDrivers} registered beside the lab's. */
  RunningCorral(Path home, CorralConfig cfg, java.util.function.Consumer<org.corral.drivers.Drivers> realDrivers) {
    try {
      runtime = CorralRuntime.start(cfg, home, clock, realDrivers);
    } catch (RuntimeException e) {
      clock.close(); // a failed start must not leave the loop thread behind
      throw e;
    }
    TestTokens.register(runtime.port(), home);
    api = new ApiClient(runtime.port());
  }

  /** Bounded waits polling the API: generous for a loaded 2-core machine, fast when it is not. */
  static ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).pollDelay(Duration.ZERO);
  }

  JsonNode vm(String name) {
    ApiClient.Reply r = api.get("/api/v1/vms/" + name);
    if (r.status() != 200) {
      throw new AssertionError("GET vm " + name + " -> " + r);
    }
    return r.json();
  }

  JsonNode host(String name) {
    ApiClient.Reply r = api.get("/api/v1/hosts/" + name);
    if (r.status() != 200) {
      throw new AssertionError("GET host " + name + " -> " + r);
    }
    return r.json();
  }

  /** Waits until the VM satisfies {@code cond} and returns its view. */
  JsonNode untilVm(String name, String what, Predicate<JsonNode> cond) {
    eventually().alias(name + " " + what).until(() -> cond.test(vm(name)));
    return vm(name);
  }

  JsonNode untilVmState(String name, String state) {
    return untilVm(name, "is " + state, v -> state.equals(v.get("state").asText()));
  }

  /** Journal entries after {@code after} (all of them with 0), oldest first. */
  List<JsonNode> events(long after, String subject) {
    return api.list("/api/v1/events?after=" + after + "&limit=10000" + (subject != null ? "&subject=" + subject : ""));
  }

  long lastSeq() {
    List<JsonNode> newest = api.list("/api/v1/events?last=1");
    return newest.isEmpty() ? 0 : newest.get(0).get("seq").asLong();
  }

  /** A small VM on net1 from img1 whose placement is constrained by a CEL expression. */
  static String vmBody(String name, String requirements) {
    return "{\"name\": \"" + name + "\", \"cpus\": 1, \"memoryMib\": 512, \"disks\": [{\"image\": \"img1\"}],"
        + " \"nics\": [{\"network\": \"net1\"}], \"requirements\": " + ApiClient.quote(requirements) + "}";
  }

  @Override
  public void close() {
    api.close();
    try {
      runtime.close();
    } finally {
      clock.close();
    }
  }
}
