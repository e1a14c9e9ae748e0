package org.corral.sim.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.corral.model.InvalidInputException;
import org.junit.jupiter.api.Test;

class SyntheticTraceTest {
  @Test
  void theSameSeedGivesTheSameDayAndAnotherSeedAnother() {
    Trace a = SyntheticTrace.generate(50, 3);
    Trace b = SyntheticTrace.generate(50, 3);
    Trace c = SyntheticTrace.generate(50, 4);
    assertThat(a.vms()).isEqualTo(b.vms()).hasSize(50).startsWith("syn00000");
    for (int v = 0; v < 50; v++) {
      assertThat(a.utilisation().get(v)).isEqualTo(b.utilisation().get(v));
    }
    assertThat(Arrays.equals(a.utilisation().get(0), c.utilisation().get(0))).isFalse();
    // A VM's samples do not depend on how many VMs follow it.
    assertThat(SyntheticTrace.generate(10, 3).utilisation().get(9)).isEqualTo(a.utilisation().get(9));
  }

  @Test
  void samplesAreWholePercentsOfADayShapedLikePlanetLab() {
    Trace t = SyntheticTrace.generate(2000, 1);
    assertThat(t.samples()).isEqualTo(288);
    assertThat(t.intervalSeconds()).isEqualTo(300);
    double sum = 0;
    for (double[] series : t.utilisation()) {
      for (double u : series) {
        assertThat(u).isBetween(0.0, 0.99);
        assertThat(Math.abs(u * 100 - Math.round(u * 100))).isLessThan(1e-9);
        sum += u;
      }
    }
    assertThat(sum / (2000.0 * 288)).as("mean utilisation").isBetween(0.08, 0.25);
  }

  @Test
  void noVmIsRefusedNamingTheOption() {
    assertThatThrownBy(() -> SyntheticTrace.generate(0, 1)).isInstanceOf(InvalidInputException.class).hasMessageContaining("synthetic");
  }
}
