package org.corral.cli.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.corral.model.vm.DiskSpec;
import org.corral.model.vm.PlacementPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class ConvertersTest {
  @ParameterizedTest
  @CsvSource({"500ms, PT0.5S", "120s, PT2M", "120, PT2M", "2m, PT2M", "1h, PT1H", "PT90S, PT1M30S", "0s, PT0S"})
  void durations(String text, Duration expected) {
    assertThat(new DurationConverter().convert(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"soon", "-5s", "1.5s", "PT-1S", "99999999999999999999s"})
  void badDurations(String text) {
    assertThatThrownBy(() -> new DurationConverter().convert(text)).isInstanceOf(TypeConversionException.class);
  }

  @Test
  void disks() {
    DiskConverter c = new DiskConverter();
    assertThat(c.convert("debian12")).isEqualTo(new DiskSpec("debian12", 0));
    assertThat(c.convert("debian12:20")).isEqualTo(new DiskSpec("debian12", 20));
    assertThatThrownBy(() -> c.convert("debian12:big")).hasMessageContaining("'big' is not a whole number");
    assertThatThrownBy(() -> c.convert("debian12:-1")).hasMessageContaining("negative");
  }

  @Test
  void policiesAsUsersTypeThem() {
    PolicyConverter c = new PolicyConverter();
    assertThat(c.convert("power-aware")).isEqualTo(PlacementPolicy.POWER_AWARE);
    assertThat(c.convert("LOAD_AWARE")).isEqualTo(PlacementPolicy.LOAD_AWARE);
    assertThat(c.convert("Packing")).isEqualTo(PlacementPolicy.PACKING);
    assertThat(PolicyConverter.names()).isEqualTo("packing, striping, load-aware, power-aware, custom");
  }

  @Test
  void steps() {
    assertThat(new StepsConverter().convert("0:0.2, 300:0.8"))
        .isEqualTo(List.of(new WorkloadStep(0, 0.2), new WorkloadStep(300, 0.8)));
    assertThatThrownBy(() -> new StepsConverter().convert("0:0.2,")).hasMessageContaining("is not SECONDS:UTILISATION");
    assertThatThrownBy(() -> new StepsConverter().convert("x:0.2")).hasMessageContaining("seconds 'x' is not a whole number");
  }

  @Test
  void numbers() {
    assertThat(new NonNegativeInt().convert("0")).isZero();
    assertThat(new NonNegativeLong().convert("65536")).isEqualTo(65536L);
    assertThat(new NonNegativeDouble().convert("90.5")).isEqualTo(90.5);
    assertThatThrownBy(() -> new NonNegativeInt().convert("3000000000")).hasMessageContaining("too large");
    assertThatThrownBy(() -> new NonNegativeDouble().convert("NaN")).hasMessageContaining("finite");
    assertThatThrownBy(() -> new Utilisation().convert("-0.1")).hasMessageContaining("outside 0..1");
  }
}
