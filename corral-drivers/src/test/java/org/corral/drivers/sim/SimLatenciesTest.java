package org.corral.drivers.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.corral.model.InvalidInputException;
import org.junit.jupiter.api.Test;

class SimLatenciesTest {
  private static final Duration S = Duration.ofSeconds(1);

  @Test
  void negativeOrMissingLatenciesNameTheField() {
    assertField(() -> new SimLatencies(S.negated(), S, S, S, 1, S, S), "latencies.define");
    assertField(() -> new SimLatencies(S, null, S, S, 1, S, S), "latencies.boot");
    assertField(() -> new SimLatencies(S, S, S, S, 1, S, S.negated()), "latencies.powerOff");
    assertField(() -> new SimLatencies(S, S, S, S, 0, S, S), "latencies.migrationMibPerSecond");
    assertField(() -> new SimLatencies(S, S, S, S, Double.NaN, S, S), "latencies.migrationMibPerSecond");
  }

  @Test
  void migrationTakesBasePlusCopyTimeAtTheLowerOfRateAndBandwidth() {
    assertThat(SimLatencies.DEFAULT.migration(4096, 0)).isEqualTo(Duration.ofMillis(6096));
    assertThat(SimLatencies.DEFAULT.migration(4096, 2048)).isEqualTo(Duration.ofMillis(6096));
    assertThat(SimLatencies.DEFAULT.migration(4096, 512)).isEqualTo(Duration.ofSeconds(10));
    assertThat(SimLatencies.INSTANT.migration(4096, 0)).isZero();
  }

  private static void assertField(Runnable r, String field) {
    assertThatThrownBy(r::run).isInstanceOfSatisfying(InvalidInputException.class,
        e -> assertThat(e.field()).isEqualTo(field));
  }
}
