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
    // The realistic preset (idle hosts draw power, memory counts), Corral's herd and the published
    // LR-MMT rules: the controller's loops, executor and store over the simulated driver, on the
    // same day, from the same start-up layout, deciding at the same instants.
    Run r = Run.with(Map.of(), "simulate", "--trace", TRACE, "--preset", "realistic", "--policy", "herd,lr-mmt-1.2", "--hosts", "60",
        "--controller", "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode runs = new ObjectMapper().readTree(r.out());
    assertThat(runs).hasSize(4);
    for (int i = 0; i < 4; i += 2) {
      JsonNode sim = runs.get(i);
      JsonNode ctl = runs.get(i + 1);
      String policy = sim.path("policy").asText();
      assertThat(ctl.path("policy").asText()).isEqualTo(policy + " (controller)");
      assertThat(ctl.path("rejectedActions").asLong()).as(policy + ": failed actions and unplaced VMs").isZero();
      assertThat(ctl.path("energyKwh").asDouble()).as(policy + ": energy within ±5 %")
          .isCloseTo(sim.path("energyKwh").asDouble(), org.assertj.core.data.Percentage.withPercentage(5));
      assertThat(ctl.path("exactEnergyKwh").asDouble()).as(policy + ": the meter against the driver's exact integral")
          .isCloseTo(ctl.path("energyKwh").asDouble(), org.assertj.core.data.Percentage.withPercentage(1));
      assertThat(ctl.path("migrations").asLong()).isPositive();
      assertThat((double) ctl.path("migrations").asLong()).as(policy + ": migrations")
          .isCloseTo(sim.path("migrations").asLong(), org.assertj.core.data.Percentage.withPercentage(25));
      assertThat(ctl.path("slatah").isNull()).as("the SLA figures need the simulator's ledger").isTrue();
    }
    assertThat((double) runs.get(1).path("powerOffs").asLong()).as("herd's power-offs")
        .isCloseTo(runs.get(0).path("powerOffs").asLong(), org.assertj.core.data.Percentage.withPercentage(10));
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
    Run r = Run.with(Map.of(), "simulate", "--trace", TRACE, "--policy", "herd,fast");
    assertThat(r.code()).isNotZero();
    assertThat(r.err()).contains("policy").contains("'fast' is not a policy");
    for (String name : new String[] {"herd", "corral", "enersis", "npa", "dvfs", "thr-mmt-0.8", "iqr-mmt-1.5", "mad-mmt-2.5",
        "lr-mmt-1.2", "lrr-mmt-1.2", "<detector>-<selector>-<parameter>"}) {
      assertThat(r.err()).as("every valid name is listed").contains(name);
    }
    assertThat(r.out()).as("nothing ran: the names are checked first").isEmpty();
  }
}
