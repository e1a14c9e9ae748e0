package org.corral.drivers.guest.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.corral.model.InvalidInputException;
import org.junit.jupiter.api.Test;

class AgentTargetTest {
  @Test
  void roundTripsHostUriAndDomain() {
    AgentTarget t = new AgentTarget("qemu+ssh://root@node1/system?keyfile=/k", "web #1");
    assertThat(t.uri()).startsWith("qemu-ga://qemu%2Bssh%3A%2F%2Froot%40node1%2Fsystem");
    assertThat(AgentTarget.parse("t", t.uri())).isEqualTo(t);
  }

  @Test
  void parsesTheDocumentedForm() {
    assertThat(AgentTarget.parse("t", "qemu-ga://test%3A%2F%2F%2Fdefault#test"))
        .isEqualTo(new AgentTarget("test:///default", "test"));
  }

  @Test
  void malformedTargetsNameTheFieldAndTheForm() {
    for (String bad : new String[] {"ssh://root@x", "qemu-ga://no-domain", "qemu-ga://#web", "qemu-ga://notauri#web"}) {
      assertThatThrownBy(() -> AgentTarget.parse("probe.target", bad)).as(bad)
          .isInstanceOfSatisfying(InvalidInputException.class, e -> {
            assertThat(e.field()).isEqualTo("probe.target");
            assertThat(e.getMessage()).contains("qemu-ga://");
          });
    }
  }
}
