package org.corral.drivers.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import org.corral.drivers.DriverException.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The libvirt error table (raw virErrorNumber values) and the scrubbing of credentials. */
class LibvirtErrorsTest {
  @ParameterizedTest(name = "code {0} from {1} -> {2}")
  @CsvSource({
      "45, 0, AUTH", "79, 0, AUTH", "88, 0, AUTH",
      "42, 0, NOT_FOUND", "49, 0, NOT_FOUND", "50, 0, NOT_FOUND",
      "39, 0, UNREACHABLE", "5, 0, UNREACHABLE", "6, 0, UNREACHABLE", "85, 0, UNREACHABLE",
      "38, 7, UNREACHABLE", "38, 13, UNREACHABLE", "38, 18, TRANSIENT", "1, 7, UNREACHABLE",
      "68, 0, TIMEOUT", "86, 0, TIMEOUT",
      "3, 0, UNSUPPORTED", "84, 0, UNSUPPORTED", "74, 0, UNSUPPORTED",
      "55, 0, REJECTED", "27, 0, REJECTED", "35, 0, REJECTED", "28, 0, REJECTED", "67, 0, REJECTED",
      "1, 0, TRANSIENT", "9, 0, TRANSIENT", "-1, -1, TRANSIENT"})
  void kinds(int code, int from, Kind kind) {
    assertThat(LibvirtErrorCodes.kindOf(code, from)).isEqualTo(kind);
  }

  @Test
  void passwordsAndSecretParametersAreScrubbedFromUrisAndMessages() {
    String uri = "qemu+tcp://admin:s3cret@node1/system?keyfile=/root/.ssh/id&no_verify=1";
    assertThat(LibvirtErrors.safeUri(uri)).isEqualTo("qemu+tcp://admin:***@node1/system?keyfile=***&no_verify=1");
    assertThat(LibvirtErrors.redact("unable to connect to 'qemu+tcp://admin:s3cret@node1/system': refused", uri))
        .doesNotContain("s3cret").contains("node1");
    assertThat(LibvirtErrors.safeUri("qemu+ssh://root@node1/system")).isEqualTo("qemu+ssh://root@node1/system");
  }

  @Test
  void descriptionsNameOperationDomainAndHost() {
    assertThat(LibvirtErrors.describe("start", "qemu+ssh://root@n1/system", "web-1"))
        .isEqualTo("start of domain 'web-1' on qemu+ssh://root@n1/system");
    assertThat(LibvirtErrors.describe("facts", "test:///default", null)).isEqualTo("facts on test:///default");
  }
}
