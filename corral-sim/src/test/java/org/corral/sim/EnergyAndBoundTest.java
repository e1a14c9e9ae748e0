package org.corral.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.corral.model.host.PowerModel;
import org.junit.jupiter.api.Test;

class EnergyAndBoundTest {
  @Test
  void aStepCountsTheMeanOfTheTwoPowersUnlessItStartsAtZero() {
    PowerModel g4 = CloudSimDataCentre.G4;
    // 0.5 → 102 W, 0.8 → 112 W: (102 + 112) / 2 × 300 s
    assertThat(CloudSimDataCentre.energy(g4, 0.5, 0.8, 300)).isCloseTo(107 * 300.0, within(1e-9));
    // 0.25 → 92.6 + (96 - 92.6) × 0.5 = 94.3 W; emptying: the mean with idle 86 W
    assertThat(CloudSimDataCentre.energy(g4, 0.25, 0, 10)).isCloseTo((94.3 + 86) / 2 * 10, within(1e-9));
    // a host at 0 at the start of the step draws nothing for it, even if loaded at its end
    assertThat(CloudSimDataCentre.energy(g4, 0, 0.9, 300)).isZero();
  }

  @Test
  void theBoundServesTheDemandOnTheMostEfficientHostsFlatOutFractionally() {
    PowerModel slow = PowerModel.linear(50, 100); // 1000 units at 100 W: 10 per W
    PowerModel fast = PowerModel.linear(60, 100); // 2000 units at 100 W: 20 per W
    double[] capacity = {1000, 2000, 2000};
    PowerModel[] power = {slow, fast, fast};
    // 3000 units: 1.5 fast hosts → 150 W
    assertThat(Bound.watts(3000, capacity, power)).isCloseTo(150, within(1e-9));
    // 4500 units: both fast hosts (200 W) and half the slow one (50 W)
    assertThat(Bound.watts(4500, capacity, power)).isCloseTo(250, within(1e-9));
    assertThat(Bound.watts(0, capacity, power)).isZero();
  }

  @Test
  void metricsDeriveSlavEsvAndTheBoundRatio() {
    SimResult r = new SimResult("p", "cloudsim", "t", 1, 100, 10, 0.05, 0.001, 3, 600, 80, 0, 1, 1, List.of());
    assertThat(Metric.SLAV.of(r)).isCloseTo(0.05 * 0.001, within(1e-15));
    assertThat(Metric.ESV.of(r)).isCloseTo(100 * 0.05 * 0.001, within(1e-15));
    assertThat(Metric.TIMES_BOUND.of(r)).isCloseTo(1.25, within(1e-12));
    assertThat(Metric.SLATAH.format(r)).isEqualTo("5.00");
    assertThat(Metric.SLAV.format(r)).isEqualTo("5.00");
  }
}
