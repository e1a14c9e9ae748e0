package org.corral.drivers.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.corral.drivers.DriverException;
import org.junit.jupiter.api.Test;

/** The instance type a VM gets: the smallest capped type that holds it and has room. */
class Ec2CapsTest {
  static final List<Ec2Connection.Size> STUDY = List.of(new Ec2Connection.Size("t2.small", 1, 2048),
      new Ec2Connection.Size("m5.large", 2, 8192), new Ec2Connection.Size("m5.xlarge", 4, 16384));
  static final Map<String, Integer> CAPS = Ec2Caps.parse("uri", null).perType();

  static String type(int vcpus, long memoryMib, Map<String, Integer> inUse) {
    return Ec2Caps.smallest("ec2://x", STUDY, CAPS, vcpus, memoryMib, inUse).type();
  }

  @Test
  void theSmallestTypeThatHoldsTheVm() {
    assertThat(type(1, 512, Map.of())).isEqualTo("t2.small");
    assertThat(type(1, 4096, Map.of())).as("memory decides").isEqualTo("m5.large");
    assertThat(type(3, 1024, Map.of())).as("vCPUs decide").isEqualTo("m5.xlarge");
  }

  @Test
  void aFullTypeGivesWayToTheNextLargerAndAllFullIsRefused() {
    assertThat(type(1, 512, Map.of("t2.small", 5))).isEqualTo("m5.large");
    assertThat(type(1, 512, Map.of("t2.small", 5, "m5.large", 2))).isEqualTo("m5.xlarge");
    assertThatThrownBy(() -> type(1, 512, Map.of("t2.small", 5, "m5.large", 2, "m5.xlarge", 1)))
        .isInstanceOf(DriverException.class).hasMessageContaining("at its cap");
    assertThatThrownBy(() -> type(8, 1024, Map.of())).hasMessageContaining("no instance type in the caps")
        .satisfies(e -> assertThat(((DriverException) e).kind()).isEqualTo(DriverException.Kind.REJECTED));
  }
}
