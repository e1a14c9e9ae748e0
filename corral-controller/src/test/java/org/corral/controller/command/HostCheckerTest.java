package org.corral.controller.command;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostCheckerTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(nullValues = "-", value = {
      "qemu+ssh://root@node1/system, node1, tcp://node1:22",
      "qemu+ssh://root@node1:2222/system, node1, tcp://node1:2222",
      "xen+ssh://root@10.0.0.5/, 10.0.0.5, tcp://10.0.0.5:22",
      "qemu+tcp://node2/system, node2, -",
      "qemu:///system, -, -",
      "test:///default, -, -",
      "sim://lab/node01, -, -"})
  void whatHostCheckProbes(String uri, String address, String ssh) {
    assertThat(HostChecker.address(uri)).isEqualTo(address);
    assertThat(HostChecker.sshEndpoint(uri)).isEqualTo(ssh);
  }
}
