package org.corral.policy.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.corral.model.InvalidInputException;
import org.corral.model.vm.PlacementPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SchedulerSettingsTest {
  @ParameterizedTest
  @ValueSource(doubles = {0, -1, 64.0001, Double.NaN, Double.POSITIVE_INFINITY})
  void overcommitOutsideRangeIsRefusedNamingTheField(double overcommit) {
    assertThatThrownBy(() -> new SchedulerSettings(PlacementPolicy.PACKING, overcommit))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("cpuOvercommit"))
        .hasMessageContaining("(0, 64]");
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.5, 1, 64})
  void overcommitInsideRangeIsAccepted(double overcommit) {
    assertThat(new SchedulerSettings(PlacementPolicy.STRIPING, overcommit).cpuOvercommit()).isEqualTo(overcommit);
  }

  @Test
  void defaultPolicyMustBeGivenAndNotCustom() {
    assertThatThrownBy(() -> new SchedulerSettings(null, 1))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("defaultPolicy"));
    assertThatThrownBy(() -> new SchedulerSettings(PlacementPolicy.CUSTOM, 1))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("defaultPolicy"));
    assertThat(SchedulerSettings.DEFAULT).isEqualTo(new SchedulerSettings(PlacementPolicy.PACKING, 1.0));
  }
}
