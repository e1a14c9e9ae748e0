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
    assertThat(r.out()).contains("40 VMs, 800 hosts, preset cloudsim, seed 1").contains("POLICY", "energy kWh", "× bound", "SLATAH %", "ESV ×1e-3")
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
  void aSyntheticDayRunsOnTheHostsAsked() throws Exception {
    Run r = Run.with(Map.of(), "simulate", "--synthetic", "300", "--hosts", "200", "--seed", "7", "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode run = new ObjectMapper().readTree(r.out()).get(0);
    assertThat(run.path("vms").asInt()).isEqualTo(300);
    assertThat(run.path("hosts").asInt()).isEqualTo(200);
    assertThat(run.path("trace").asText()).isEqualTo("synthetic (300 VMs, seed 7)");
    assertThat(run.path("migrations").asLong()).isPositive();
  }

  @Test
  void theWholeControllerOnVirtualTimeGivesTheSimulatorsFigures() throws Exception {
    // The realistic preset (idle hosts draw power, memory counts) with the published LR-MMT rules:
    // the controller's loops, executor and store over the simulated driver, on the same day.
    Run r = Run.with(Map.of(), "simulate", "--trace", TRACE, "--preset", "realistic", "--policy", "lr-mmt-1.2", "--hosts", "60",
        "--controller", "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode runs = new ObjectMapper().readTree(r.out());
    assertThat(runs).hasSize(2);
    JsonNode sim = runs.get(0);
    JsonNode ctl = runs.get(1);
    assertThat(ctl.path("policy").asText()).isEqualTo("lr-mmt-1.2 (controller)");
    assertThat(ctl.path("rejectedActions").asLong()).as("failed actions and unplaced VMs").isZero();
    assertThat(ctl.path("energyKwh").asDouble()).isCloseTo(sim.path("energyKwh").asDouble(),
        org.assertj.core.data.Percentage.withPercentage(2));
    assertThat(ctl.path("migrations").asLong()).isPositive();
    assertThat((double) ctl.path("migrations").asLong()).isCloseTo(sim.path("migrations").asLong(),
        org.assertj.core.data.Percentage.withPercentage(25));
    assertThat(ctl.path("slatah").isNull()).as("the SLA figures need the simulator's ledger").isTrue();
  }

  @Test
  void aWorkloadIsNeededAndOnlyOne() {
    Run none = Run.with(Map.of(), "simulate");
    assertThat(none.code()).isNotZero();
    assertThat(none.err()).contains("trace").contains("--synthetic");
    Run both = Run.with(Map.of(), "simulate", "--trace", TRACE, "--synthetic", "10");
    assertThat(both.code()).isNotZero();
    assertThat(both.err()).contains("--trace and --synthetic both given");
  }

  @Test
  void anUnknownPolicyIsRefusedNamingTheField() {
    Run r = Run.with(Map.of(), "simulate", "--trace", TRACE, "--policy", "fast");
    assertThat(r.code()).isNotZero();
    assertThat(r.err()).contains("policy").contains("lr-mmt-1.2");
  }
}
