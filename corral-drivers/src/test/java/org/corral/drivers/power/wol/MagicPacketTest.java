package org.corral.drivers.power.wol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.corral.model.InvalidInputException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MagicPacketTest {
  @ParameterizedTest
  @ValueSource(strings = {"52:54:00:ab:CD:ef", "52-54-00-AB-cd-EF", " 52:54:00:ab:cd:ef "})
  void acceptsColonAndDashForms(String mac) {
    assertThat(MagicPacket.parseMac("power.mac", mac)).isEqualTo(HexFormat.of().parseHex("525400abcdef"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "52:54:00:ab:cd", "52:54:00:ab:cd:ef:01", "52:54-00:ab:cd:ef", "5254.00ab.cdef",
      "52:54:00:ab:cd:eg", "525400abcdef"})
  void rejectsOtherFormsNamingTheField(String mac) {
    assertThatThrownBy(() -> MagicPacket.parseMac("power.mac", mac))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("power.mac"))
        .hasMessageContaining("52:54:00:12:34:56");
  }

  @ParameterizedTest
  @ValueSource(strings = {"52:54:00:ab:cd:ef", "ff:ff:ff:ff:ff:ff", "00:00:00:00:00:00"})
  void isSixFfThenTheMacSixteenTimes(String mac) {
    byte[] m = MagicPacket.parseMac("power.mac", mac);
    byte[] p = MagicPacket.of(m);
    assertThat(p).hasSize(102);
    for (int i = 0; i < 6; i++) {
      assertThat(p[i]).as("sync byte %d", i).isEqualTo((byte) 0xFF);
    }
    for (int r = 0; r < 16; r++) {
      assertThat(java.util.Arrays.copyOfRange(p, 6 + r * 6, 12 + r * 6)).as("repetition %d", r).isEqualTo(m);
    }
  }
}
