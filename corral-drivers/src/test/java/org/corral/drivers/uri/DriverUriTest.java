package org.corral.drivers.uri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.corral.model.InvalidInputException;
import org.junit.jupiter.api.Test;

class DriverUriTest {
  @Test
  void readsPartsAndDecodesRepeatedParameters() {
    DriverUri u = DriverUri.parse("f", "ssh://root@node1:2222/a%20b?command=echo&command=a%2Bb+c&command=%27x%27", "e");
    assertThat(u.scheme()).isEqualTo("ssh");
    assertThat(u.user()).isEqualTo("root");
    assertThat(u.host()).isEqualTo("node1");
    assertThat(u.port()).isEqualTo(2222);
    assertThat(u.path()).isEqualTo("/a b");
    assertThat(u.params("command")).isEqualTo(List.of("echo", "a+b+c", "'x'"));
  }

  @Test
  void stripsIpv6Brackets() {
    assertThat(DriverUri.parse("f", "tcp://[::1]:22", "e").host()).isEqualTo("::1");
  }

  @Test
  void errorsNameTheField() {
    assertThatThrownBy(() -> DriverUri.parse("hosts[2].power.on", "not a uri", "ipmi://a@b"))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("hosts[2].power.on"));
    assertThatThrownBy(() -> DriverUri.parse("f", "tcp://h:1?x=1&x=2", "e").param("x"))
        .hasMessageContaining("given 2 times");
    assertThatThrownBy(() -> DriverUri.parse("f", "tcp://h:1?tpyo=1", "e").allowOnly(Set.of("typo")))
        .hasMessageContaining("unknown query parameter 'tpyo'");
    assertThatThrownBy(() -> DriverUri.parse("f", "tcp://node_1:22", "e"))
        .hasMessageContaining("cannot read host and port");
  }
}
