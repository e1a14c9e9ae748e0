package org.corral.model.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.corral.model.InvalidInputException;
import org.junit.jupiter.api.Test;

class HostInputTest {
  @Test
  void capacityIsBounded() {
    assertField(() -> new HostCapacity(8, 2600, Long.MAX_VALUE), "capacity.memoryMib");
    assertField(() -> new HostCapacity(Integer.MAX_VALUE, 2600, 1024), "capacity.cores");
    assertField(() -> new HostCapacity(8, Integer.MAX_VALUE, 1024), "capacity.mhzPerCore");
    assertThat(new HostCapacity(HostCapacity.MAX_CORES, HostCapacity.MAX_MHZ, HostCapacity.MAX_MEMORY_MIB).cores())
        .isEqualTo(HostCapacity.MAX_CORES);
  }

  @Test
  void powerMacIsSixHexPairs() {
    assertField(() -> new PowerSpec("wol://192.168.1.255", null, "zz:zz").validate(), "power.mac");
    assertField(() -> new PowerSpec("wol://192.168.1.255", null, "aa:bb:cc:dd:ee").validate(), "power.mac");
    assertThat(new PowerSpec("wol://192.168.1.255", null, "AA-BB-CC-DD-EE-FF").validate().mac()).isEqualTo("AA-BB-CC-DD-EE-FF");
  }

  @Test
  void anEmptyWattValueIsNamedNotAnNpe() {
    // Found by ApiFuzzTest: "watts": [..., null, ...] was a NullPointerException (500).
    assertField(() -> new PowerModel(java.util.Arrays.asList(1.0, 2.0, null, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0), 0),
        "powerModel.watts");
  }

  private static void assertField(Runnable r, String field) {
    assertThatThrownBy(r::run).isInstanceOf(InvalidInputException.class)
        .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo(field));
  }
}
