package org.corral.drivers.power.ipmi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.corral.drivers.DriverException;
import org.corral.drivers.DriverException.Kind;
import org.corral.drivers.power.PowerReading;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The parser of {@code ipmitool dcmi power reading}. The success fixtures follow ipmitool 1.8.19's
 * format strings (lib/ipmi_dcmi.c, ipmi_dcmi_pwr_rd) byte for byte, with made-up figures: no BMC
 * here has DCMI. The refusal is recorded from ipmitool 1.8.19 against OpenIPMI 2.0.33's ipmi_sim.
 */
class DcmiPowerReadingTest {
  private static String fixture(String name) throws IOException {
    try (InputStream in = DcmiPowerReadingTest.class.getResourceAsStream("/power/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void theInstantaneousFigureIsTheReading() throws IOException {
    assertThat(DcmiPowerReading.parse("10.0.0.11", fixture("dcmi-power-reading.txt")))
        .isEqualTo(new PowerReading.Measured(224));
  }

  @Test
  void deactivatedMeasurementIsNotAReading() throws IOException {
    assertThat(DcmiPowerReading.parse("10.0.0.11", fixture("dcmi-power-reading-deactivated.txt")))
        .isInstanceOfSatisfying(PowerReading.NotReported.class,
            n -> assertThat(n.reason()).contains("deactivated").contains("10.0.0.11"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "'Instantaneous power reading: 0 Watts'                  | 0",
      "'    Instantaneous power reading:   1234 Watts  '       | 1234",
      "'instantaneous power reading:      87 watts'            | 87",
  })
  void looserLayoutsOfTheSameLineAreRead(String line, double watts) {
    assertThat(DcmiPowerReading.parse("bmc", "\n" + line + "\n")).isEqualTo(new PowerReading.Measured(watts));
  }

  @Test
  void outputWithoutAReadingIsATransientFailureNamingTheLastLine() {
    assertThatThrownBy(() -> DcmiPowerReading.parse("bmc", "Power Limit: 500 Watts\nsomething else\n"))
        .isInstanceOfSatisfying(DriverException.class, e -> {
          assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
          assertThat(e.getMessage()).contains("Instantaneous power reading").contains("something else");
        });
  }

  @Test
  void ipmiSimsRefusalMeansTheBmcDoesNotReportPower() throws IOException {
    assertThat(DcmiPowerReading.refusal("127.0.0.1", fixture("dcmi-refused-by-ipmi-sim.txt"))).hasValueSatisfying(
        n -> assertThat(n.reason()).isEqualTo(
            "BMC 127.0.0.1 does not report power (ipmitool dcmi power reading: Invalid command (c1))"));
  }

  @Test
  void aFailedSessionIsNotARefusal() {
    assertThat(DcmiPowerReading.refusal("127.0.0.1", "Error: Unable to establish IPMI v2 / RMCP+ session\n")).isEmpty();
    assertThat(DcmiPowerReading.refusal("127.0.0.1", "RAKP 2 HMAC is invalid\n")).isEmpty();
  }
}
