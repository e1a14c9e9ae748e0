package org.corral.model.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.corral.model.InvalidInputException;
import org.junit.jupiter.api.Test;

class PowerModelTest {
  @Test
  void interpolatesTheSpecPowerTable() {
    // HP ProLiant ML110 G4 (CloudSim's table).
    PowerModel g4 = new PowerModel(List.of(86.0, 89.4, 92.6, 96.0, 99.5, 102.0, 106.0, 108.0, 112.0, 114.0, 117.0), 0);
    assertThat(g4.wattsAt(0)).isEqualTo(86.0);
    assertThat(g4.wattsAt(1)).isEqualTo(117.0);
    assertThat(g4.wattsAt(0.05)).isCloseTo(87.7, within(1e-9));
    assertThat(g4.wattsAt(1.5)).isEqualTo(117.0);
    assertThat(g4.wattsAt(-1)).isEqualTo(86.0);
  }

  @Test
  void linearModelAndValidation() {
    assertThat(PowerModel.linear(100, 200).wattsAt(0.25)).isCloseTo(125, within(1e-9));
    assertThatThrownBy(() -> PowerModel.linear(200, 100)).isInstanceOf(InvalidInputException.class).hasMessageContaining("maxWatts");
    assertThatThrownBy(() -> new PowerModel(List.of(1.0, 2.0), 0)).isInstanceOf(InvalidInputException.class).hasMessageContaining("11 values");
  }
}
