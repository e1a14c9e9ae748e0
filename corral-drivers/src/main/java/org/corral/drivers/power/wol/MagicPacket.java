package org.corral.drivers.power.wol;

import java.util.HexFormat;
import org.corral.model.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * A Wake-on-LAN magic packet: six 0xFF bytes followed by the target MAC sixteen times (102 bytes).
 * Pure: no I/O.
 */
final class MagicPacket {
  /** Length of every magic packet in bytes. */
  public static final int LENGTH = 6 + 16 * 6;

  private MagicPacket() {}

  /**
   * Parses {@code aa:bb:cc:dd:ee:ff} or {@code aa-bb-cc-dd-ee-ff} (either case).
   *
   * @throws InvalidInputException naming {@code field} for anything else
   */
  public static byte[] parseMac(String field, @Nullable String mac) {
    if (mac == null || mac.isBlank()) {
      throw new InvalidInputException(field, "no MAC address for Wake-on-LAN",
          "set the MAC of the NIC that listens for the magic packet, e.g. 52:54:00:12:34:56");
    }
    String m = mac.strip();
    if (!m.matches("\\p{XDigit}{2}([:-])\\p{XDigit}{2}(\\1\\p{XDigit}{2}){4}")) {
      throw new InvalidInputException(field, "'" + mac + "' is not a MAC address",
          "write six hex pairs separated by ':' or '-', e.g. 52:54:00:12:34:56");
    }
    return HexFormat.of().parseHex(m.replace(":", "").replace("-", ""));
  }

  /** The 102-byte packet that wakes the NIC with address {@code mac} (6 bytes). */
  public static byte[] of(byte[] mac) {
    if (mac.length != 6) {
      throw new IllegalArgumentException("a MAC address has 6 bytes, got " + mac.length);
    }
    byte[] packet = new byte[LENGTH];
    java.util.Arrays.fill(packet, 0, 6, (byte) 0xFF);
    for (int i = 0; i < 16; i++) {
      System.arraycopy(mac, 0, packet, 6 + i * 6, 6);
    }
    return packet;
  }
}
