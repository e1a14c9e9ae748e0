package org.corral.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.corral.sim.trace.Trace;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The cloudsim preset against CloudSim 3.0.3's own figures: LR-MMT-1.2 on 20110303 (sorted file
 * order) within ±5 % energy, ±10 % migrations and ±0.5 points SLATAH. bench/simulate checks all
 * 20 runs of the four policies on the five days. The trace is read from the shared data
 * ({@code -Dcorral.planetlab=DIR} to point elsewhere).
 */
class FidelityTest {
  static Path planetlab() {
    return Path.of(System.getProperty("corral.planetlab", "../../shared/data/planetlab"));
  }

  @Test
  void lrMmtOnTheThirdOfMarchMatchesCloudSim() {
    Path day = planetlab().resolve("20110303");
    Assumptions.assumeTrue(Files.isDirectory(day), "no PlanetLab data at " + day);
    Trace trace = Trace.read(day);
    SimResult r = Simulator.run(trace, "cloudsim", "lr-mmt-1.2", 1, f -> {});
    CloudSimReference.Row ref = CloudSimReference.find("lr-mmt-1.2", "20110303").orElseThrow();
    assertThat(r.vms()).isEqualTo(ref.vms());
    assertThat(ref.misses(r)).as("off CloudSim 3.0.3's figures").isEmpty();
    assertThat(r.rejectedActions()).isZero();
  }

  @Test
  void theNoMigrationBaselinesMatchCloudSimExactly() {
    Path day = planetlab().resolve("20110303");
    Assumptions.assumeTrue(Files.isDirectory(day), "no PlanetLab data at " + day);
    Trace trace = Trace.read(day);
    assertThat(Simulator.run(trace, "cloudsim", "npa", 1, f -> {}).energyKwh())
        .isCloseTo(2410.80, org.assertj.core.api.Assertions.within(0.005));
    SimResult dvfs = Simulator.run(trace, "cloudsim", "dvfs", 1, f -> {});
    assertThat(dvfs.energyKwh()).isCloseTo(802.75, org.assertj.core.api.Assertions.within(0.005));
    assertThat(dvfs.meanSecondsBeforeShutdown()).isCloseTo(2864.28, org.assertj.core.api.Assertions.within(0.005));
  }
}
