package org.corral.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnitsTest {
  @ParameterizedTest
  @CsvSource({"0, 0 MiB", "512, 512 MiB", "1023, 1023 MiB", "1024, 1.0 GiB", "2048, 2.0 GiB", "1536, 1.5 GiB",
      "65536, 64.0 GiB", "1048576, 1.0 TiB", "16777216, 16.0 TiB"})
  void memoryInTheLargestFittingUnit(long mib, String shown) {
    assertThat(Units.mib(mib)).isEqualTo(shown);
  }

  @ParameterizedTest
  @CsvSource({"0, 0.0 Wh", "3600, 1.0 Wh", "376200, 104.5 Wh", "3600000, 1.00 kWh", "7576200, 2.10 kWh"})
  void energyInWhOrKwh(double joules, String shown) {
    assertThat(Units.energy(joules)).isEqualTo(shown);
  }

  @ParameterizedTest
  @CsvSource({"0.0, 0%", "0.12, 12%", "0.125, 13%", "1.0, 100%"})
  void percentRounds(double fraction, String shown) {
    assertThat(Units.percent(fraction)).isEqualTo(shown);
  }

  @ParameterizedTest
  @CsvSource({"4.0, 4", "2.5, 2.5", "0.25, 0.3"})
  void numbersDropATrailingZero(double x, String shown) {
    assertThat(Units.number(x)).isEqualTo(shown);
  }

  @ParameterizedTest
  @CsvSource({"PT2M, 2m", "PT120S, 2m", "PT90S, 1m30s", "PT0.5S, 500ms", "PT1H, 1h", "PT30S, 30s"})
  void durationsAsTyped(Duration d, String shown) {
    assertThat(Units.duration(d)).isEqualTo(shown);
  }

  @ParameterizedTest
  @CsvSource({"2026-01-01T00:05:00.123Z, UTC, 2026-01-01T00:05:00", "2026-01-01T00:05:00Z, Europe/Paris, 2026-01-01T01:05:00",
      "2026-07-01T12:00:00Z, America/New_York, 2026-07-01T08:00:00", "yesterday, UTC, yesterday"})
  void timesInTheLocalZoneToTheSecond(String instant, String zone, String shown) {
    assertThat(Units.time(instant, ZoneId.of(zone))).isEqualTo(shown);
  }

  @org.junit.jupiter.api.Test
  void noTimeIsNull() {
    assertThat(Units.time(null, ZoneOffset.UTC)).isNull();
    assertThat(Units.time(" ", ZoneOffset.UTC)).isNull();
  }
}
