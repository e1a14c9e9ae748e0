package org.corral.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code corral simulate} needs no server: the example trace, a table, JSON, a report, and bad input. */
class SimulateCommandTest {
  private static final String TRACE = "../examples/trace.csv";

  @Test
  void comparesPoliciesInOneTable() {
    Run r = Run.with(Map.of(), "simulate", "--trace", TRACE, "--policy", "lr-mmt-1.2,dvfs");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("40 VMs, preset cloudsim, seed 1").contains("POLICY", "energy kWh", "× bound", "SLATAH %", "ESV ×1e-3")
        .containsPattern("\nlr-mmt-1\\.2 +\\d").containsPattern("\ndvfs +\\d");
    assertThat(r.err()).isEmpty(); // no progress bar when not on a terminal
  }

  @Test
  void withoutAPolicyCorralsOwnHerdRuns() {
    Run r = Run.with(Map.of(), "simulate", "--trace", TRACE);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).containsPattern("\nherd +\\d");
  }

  @Test
  void jsonGivesEveryMetricByItsKey(@TempDir Path dir) throws Exception {
    Path report = dir.resolve("out.html");
    Run r = Run.with(Map.of(), "simulate", "--trace", TRACE, "--policy", "thr-mmt-0.8", "--json", "--report", report.toString());
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode runs = new ObjectMapper().readTree(r.out());
    assertThat(runs).hasSize(1);
    JsonNode run = runs.get(0);
    assertThat(run.path("policy").asText()).isEqualTo("thr-mmt-0.8");
    for (String key : new String[] {"energyKwh", "timesBound", "migrations", "slatah", "pdm", "slav", "esv", "powerOffs",
        "meanSecondsBeforeShutdown", "boundKwh", "wallSeconds", "peakHeapMib"}) {
      assertThat(run.has(key)).as(key).isTrue();
    }
    assertThat(Files.readString(report)).startsWith("<!DOCTYPE html>").contains("<svg");
  }

  @Test
  void anUnknownPolicyIsRefusedNamingTheField() {
    Run r = Run.with(Map.of(), "simulate", "--trace", TRACE, "--policy", "fast");
    assertThat(r.code()).isNotZero();
    assertThat(r.err()).contains("policy").contains("lr-mmt-1.2");
  }
}
