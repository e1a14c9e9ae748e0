package org.corral.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretsTest {
  @ParameterizedTest
  @ValueSource(strings = {"qemu+ssh://root:secretpw@10.0.0.99/system", "ipmi://admin:secretpw@10.0.0.11?passwordFile=/x",
      "ipmi://admin@10.0.0.11?password=secretpw", "ipmi://admin@10.0.0.11?interface=lan&PASSWD=secretpw",
      "ssh://root@node1?token=secretpw", "jdbc:postgresql://corral:secretpw@db1/corral",
      "jdbc:postgresql://db1/corral?user=corral&password=secretpw", "jdbc:h2:file:/var/db;PASSWORD=secretpw",
      "qemu+ssh://root:pa/secretpw@node1/system", "http://node1/x?api_key=secretpw"})
  void inlineSecretsAreRefusedWithoutRepeatingThem(String uri) {
    assertThatThrownBy(() -> Secrets.refuseInline("uri", uri)).isInstanceOf(InvalidInputException.class)
        .satisfies(e -> {
          assertThat(((InvalidInputException) e).field()).isEqualTo("uri");
          assertThat(e.getMessage()).doesNotContain("secretpw").contains("passwordFile").contains("SSH key");
        });
  }

  @ParameterizedTest
  @ValueSource(strings = {"qemu+ssh://root@node1/system", "qemu+ssh://corral@node1/system?keyfile=/etc/corral/id_ed25519",
      "ipmi://admin@10.0.0.11?interface=lanplus&passwordFile=/etc/corral/bmc.pass", "ipmi://admin@[fe80::1]:623?passwordEnv=BMC",
      "ssh://root@node1:22?identity=/etc/corral/ssh/id_ecdsa&knownHosts=/etc/corral/ssh/known_hosts",
      "qemu+ssh://root@node1/system?sshauth=privkey", "test:///default", "sim://lab/node1", "wol://192.168.1.255:9",
      "jdbc:postgresql://db1:5432/corral", "ipmi://admin@10.0.0.11?password="})
  void whereASecretIsKeptIsNotASecret(String uri) {
    assertThat(Secrets.refuseInline("uri", uri)).isEqualTo(uri);
    assertThat(Secrets.mask(uri)).isEqualTo(uri);
  }

  @Test
  void maskHidesPasswordsAndSecretParametersInFreeText() {
    assertThat(Secrets.mask("cannot open qemu+ssh://root:secretpw@node1/system?password=pw2&x=1 now"))
        .isEqualTo("cannot open qemu+ssh://root:***@node1/system?password=***&x=1 now");
  }

  @Test
  void quotingCutsLongValuesEscapesControlsAndMasks() {
    assertThat(InvalidInputException.quote("web1")).isEqualTo("'web1'");
    assertThat(InvalidInputException.quote("a\u0000b\u001b[31m")).isEqualTo("'a\\u0000b\\u001b[31m'");
    assertThat(InvalidInputException.quote("n".repeat(2_000_000)))
        .isEqualTo("'" + "n".repeat(InvalidInputException.QUOTED_PREFIX) + "…' (2000000 characters)");
    assertThat(InvalidInputException.quote("ipmi://admin:secretpw@bmc")).isEqualTo("'ipmi://admin:***@bmc'");
  }
}
