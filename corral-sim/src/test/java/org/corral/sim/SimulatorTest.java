package org.corral.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.corral.model.InvalidInputException;
import org.corral.sim.trace.Trace;
import org.junit.jupiter.api.Test;

class SimulatorTest {
  private static final Trace EXAMPLE = Trace.read(Path.of("../examples/trace.csv"));

  @Test
  void twoRunsWithTheSameSeedGiveIdenticalResults() {
    for (String policy : new String[] {"lr-mmt-1.2", "thr-rs-0.8"}) {
      SimResult a = Simulator.run(EXAMPLE, "cloudsim", policy, 42, f -> {});
      SimResult b = Simulator.run(EXAMPLE, "cloudsim", policy, 42, f -> {});
      assertThat(a.withoutTimings()).isEqualTo(b.withoutTimings());
      assertThat(a.migrations()).isPositive();
      assertThat(a.rejectedActions()).isZero();
    }
  }

  @Test
  void aSyntheticDayRunsOnMoreHostsThanCloudSimsAndHoldsTheInvariants() {
    Trace day = org.corral.sim.trace.SyntheticTrace.generate(1_000, 5);
    SimResult a = Simulator.run(day, "cloudsim", "lr-mmt-1.2", 1, 1_000, f -> {}); // invariants checked at the end
    assertThat(a.vms()).isEqualTo(1_000);
    assertThat(a.migrations()).isPositive();
    assertThat(a.rejectedActions()).isZero();
    assertThat(a.energyKwh()).isGreaterThan(a.boundKwh());
    assertThat(Simulator.run(day, "cloudsim", "lr-mmt-1.2", 1, 1_000, f -> {}).withoutTimings()).isEqualTo(a.withoutTimings());
  }

  @Test
  void theBaselinesNeverMigrateAndNpaCountsEveryHostFlatOut() {
    SimResult npa = Simulator.run(EXAMPLE, "cloudsim", "npa", 1, f -> {});
    SimResult dvfs = Simulator.run(EXAMPLE, "cloudsim", "dvfs", 1, f -> {});
    assertThat(npa.migrations()).isZero();
    assertThat(dvfs.migrations()).isZero();
    // 400 × 117 W + 400 × 135 W from 0 to the last instant, 900.1 s before the end of the day
    double seconds = 96 * 900 - 900 + 0.1;
    assertThat(npa.energyKwh()).isCloseTo((400 * 117 + 400 * 135) * seconds / 3.6e6, org.assertj.core.api.Assertions.within(1e-6));
    assertThat(dvfs.energyKwh()).isLessThan(npa.energyKwh());
  }

  @Test
  void consolidationSavesEnergyAndStaysAboveTheBound() {
    SimResult dvfs = Simulator.run(EXAMPLE, "cloudsim", "dvfs", 1, f -> {});
    SimResult lr = Simulator.run(EXAMPLE, "cloudsim", "lr-mmt-1.2", 1, f -> {});
    assertThat(lr.energyKwh()).isLessThan(dvfs.energyKwh()).isGreaterThan(lr.boundKwh());
  }

  @Test
  void unknownNamesAreRefusedWithTheKnownOnes() {
    assertThatThrownBy(() -> Simulator.run(EXAMPLE, "nope", "lr-mmt-1.2", 1, f -> {})).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("cloudsim");
    assertThatThrownBy(() -> Simulator.run(EXAMPLE, "cloudsim", "xx-mmt-1.2", 1, f -> {}))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("lr-");
  }

  @Test
  void theReportIsOnePageWithThePlotsInline() {
    SimResult a = Simulator.run(EXAMPLE, "cloudsim", "lr-mmt-1.2", 1, f -> {});
    SimResult b = Simulator.run(EXAMPLE, "cloudsim", "dvfs", 1, f -> {});
    String html = HtmlReport.render("example <trace>", java.util.List.of(a, b));
    assertThat(html).startsWith("<!DOCTYPE html>").contains("example &lt;trace&gt;").contains("<svg").contains("<polyline")
        .doesNotContain("<script").doesNotContain("src=").doesNotContain("href=");
    assertThat(html.split("<polyline", -1)).hasSize(1 + 4 * 2); // four plots, a line per policy
  }

  @Test
  void realisticIdleHostsDrawIdlePowerUntilThePlanSwitchesThemOff() {
    SimResult dvfs = Simulator.run(EXAMPLE, "realistic", "dvfs", 1, f -> {});
    // no plan, so all 800 hosts stay on from 0 to the last instant, drawing at least idle power
    double seconds = 96 * 900 - 900 + 0.1;
    double idleKwh = (400 * 86 + 400 * 93.7) * seconds / 3.6e6;
    assertThat(dvfs.energyKwh()).isGreaterThanOrEqualTo(idleKwh).isLessThan(idleKwh * 1.01);
    assertThat(dvfs.powerOffs()).isZero();

    SimResult corral = Simulator.run(EXAMPLE, "realistic", "corral", 1, f -> {});
    assertThat(corral.powerOffs()).isPositive();
    assertThat(corral.energyKwh()).isLessThan(dvfs.energyKwh() / 5);
    assertThat(corral.rejectedActions()).isZero();
    // switched off only after being seen empty for 6 polls of 900 s
    assertThat(corral.meanSecondsBeforeShutdown()).isGreaterThanOrEqualTo(6 * 900);
    assertThat(Simulator.run(EXAMPLE, "realistic", "corral", 1, f -> {}).withoutTimings()).isEqualTo(corral.withoutTimings());
  }
}
