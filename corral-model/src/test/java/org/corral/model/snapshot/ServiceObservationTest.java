package org.corral.model.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.corral.model.snapshot.ServiceObservation.Status;
import org.corral.model.vm.ServiceCheck;
import org.junit.jupiter.api.Test;

/** What a check's exit code and output say, for a script and for a Nagios plugin. */
class ServiceObservationTest {
  private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
  private static final ServiceCheck SCRIPT = ServiceCheck.script("web", List.of("/c/web"), List.of());
  private static final ServiceCheck NAGIOS = ServiceCheck.nagios("load", List.of("/p/check_load"), List.of(), List.of());

  @Test
  void aScriptIsHealthyOnlyOnExitZero() {
    assertThat(ServiceObservation.ofExit("vm1", SCRIPT, 0, "", "", AT).status()).isEqualTo(Status.OK);
    assertThat(ServiceObservation.ofExit("vm1", SCRIPT, 1, "", "", AT).status()).isEqualTo(Status.CRITICAL);
    assertThat(ServiceObservation.ofExit("vm1", SCRIPT, 3, "", "", AT).status()).isEqualTo(Status.CRITICAL);
    assertThat(ServiceObservation.ofExit("vm1", SCRIPT, 127, "", "sh: not found\n", AT).reason()).isEqualTo("exit 127: sh: not found");
  }

  @Test
  void aNagiosPluginHasFourStatesAndItsFirstLineIsTheReason() {
    assertThat(ServiceObservation.ofExit("vm1", NAGIOS, 0, "LOAD OK - 0.1\n", "", AT).status()).isEqualTo(Status.OK);
    assertThat(ServiceObservation.ofExit("vm1", NAGIOS, 1, "", "", AT).status()).isEqualTo(Status.WARNING);
    assertThat(ServiceObservation.ofExit("vm1", NAGIOS, 2, "", "", AT).status()).isEqualTo(Status.CRITICAL);
    assertThat(ServiceObservation.ofExit("vm1", NAGIOS, 3, "", "", AT).status()).isEqualTo(Status.UNKNOWN);
    assertThat(ServiceObservation.ofExit("vm1", NAGIOS, 4, "", "", AT).status()).isEqualTo(Status.UNKNOWN);
    ServiceObservation crit = ServiceObservation.ofExit("vm1", NAGIOS, 2, "LOAD CRITICAL - load average: 9.1|load1=9.1\nlong text\nmore", "", AT);
    assertThat(crit.reason()).isEqualTo("exit 2: LOAD CRITICAL - load average: 9.1|load1=9.1");
    assertThat(crit.service()).isEqualTo("load");
  }

  @Test
  void criticalAndUnknownCountAsFailedWarningDoesNot() {
    assertThat(Status.OK.failed()).isFalse();
    assertThat(Status.WARNING.failed()).isFalse();
    assertThat(Status.CRITICAL.failed()).isTrue();
    assertThat(Status.UNKNOWN.failed()).isTrue();
  }

  @Test
  void aLongLineIsCut() {
    String reason = ServiceObservation.ofExit("vm1", NAGIOS, 2, "x".repeat(1000), "", AT).reason();
    assertThat(reason).hasSizeLessThanOrEqualTo(ServiceObservation.MAX_REASON + "exit 2: ".length());
  }
}
