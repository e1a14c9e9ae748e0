package org.corral.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.corral.controller.boot.CorralRuntime;
import org.corral.controller.config.ConfigReader;
import org.corral.model.time.SystemClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22 through the real CLI against a real Corral: {@code vm create NAME --count N} makes
 * NAME-1..NAME-N in bulk requests, and {@code vm list} pages through more VMs than one page holds,
 * printing every VM once, in order, in text and in JSON.
 */
class CliPagingTest {
  private static final String CONFIG = """
      controller: {monitorPeriod: 200ms, schedulerPeriod: 200ms}
      api: {listen: "127.0.0.1:0"}
      lab:
        name: pg
        stateFile: false
        latencies: {define: 0s, boot: 50ms, shutdown: 50ms, migrationBase: 50ms, powerOn: 50ms, powerOff: 50ms}
        hosts:
          - {prefix: node, count: 2, cores: 8, mhz: 2600, memoryMib: 16384}
      """;
  @TempDir
  static Path home;
  private static SystemClock clock;
  private static CorralRuntime corral;
  private static Map<String, String> env;

  @BeforeAll
  static void start() {
    clock = new SystemClock("cli-paging");
    corral = CorralRuntime.start(ConfigReader.parse(CONFIG, "test", Map.of()), home, clock, d -> {});
    env = Map.of("CORRAL_API", "http://127.0.0.1:" + corral.port(), "TZ", "UTC", "CORRAL_HOME", home.toString());
  }

  @AfterAll
  static void stop() {
    corral.close();
    clock.close();
  }

  @Test
  void countCreatesInBulkAndListPagesThroughEveryVm() throws Exception {
    int n = 2 * org.corral.cli.command.VmCreateCommand.MAX_PER_REQUEST + 7; // three bulk requests
    Run created = Run.with(env, "vm", "create", "many", "--cpus", "1", "--memory", "64", "--hold", "--count", Integer.toString(n));
    assertThat(created.code()).as(created.err()).isZero();
    assertThat(created.out()).contains("many-1 .. many-" + org.corral.cli.command.VmCreateCommand.MAX_PER_REQUEST + " created")
        .contains("(" + n + " of " + n + ")");

    Run list = Run.with(env, "vm", "list", "--state", "HOLD");
    assertThat(list.code()).as(list.err()).isZero();
    List<String> lines = list.out().lines().toList();
    assertThat(lines.get(0)).startsWith("NAME").contains("STATE").contains("REASON");
    List<String> names = new ArrayList<>();
    for (String l : lines.subList(1, lines.size())) {
      names.add(l.split("\\s+")[0]);
      assertThat(l).contains("HOLD");
    }
    assertThat(names).hasSize(n).doesNotHaveDuplicates().isSorted().contains("many-1", "many-" + n);

    Run json = Run.with(env, "vm", "list", "--label", "nosuch", "--output", "json");
    assertThat(json.code()).isZero();
    assertThat(new ObjectMapper().readTree(json.out()).size()).isZero();

    Run all = Run.with(env, "vm", "list", "--owner", "admin", "--output", "json");
    assertThat(all.code()).as(all.err()).isZero();
    JsonNode doc = new ObjectMapper().readTree(all.out());
    List<String> jsonNames = new ArrayList<>();
    doc.forEach(v -> jsonNames.add(v.get("name").asText()));
    assertThat(jsonNames).as("one JSON document with every VM").hasSize(n).doesNotHaveDuplicates().isSorted();
  }

  @Test
  void aBadCountChangesNothing() {
    Run r = Run.with(env, "vm", "create", "zero", "--cpus", "1", "--memory", "64", "--count", "0");
    assertThat(r.code()).isNotZero();
    assertThat(r.err()).contains("--count");
    Run bad = Run.with(env, "vm", "create", "bad", "--cpus", "1", "--memory", "99999999999", "--count", "3");
    assertThat(bad.code()).isNotZero();
    assertThat(bad.err()).contains("[0].spec.memoryMib");
    assertThat(Run.with(env, "vm", "list").out()).doesNotContain("bad-1").doesNotContain("zero-1");
  }
}
