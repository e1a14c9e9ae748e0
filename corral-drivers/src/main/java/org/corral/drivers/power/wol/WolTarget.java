package org.corral.drivers.power.wol;

import java.util.Set;
import org.corral.drivers.uri.DriverUri;
import org.corral.model.InvalidInputException;

/**
 * Where to send magic packets, parsed from {@code wol://192.168.1.255:9?repeat=3}.
 *
 * @param broadcast the subnet's broadcast address (or the host's address if routed)
 * @param port      UDP port, 9 (discard) by default; 7 is the other common choice
 * @param repeat    how many packets to send (1-10); more than one helps on lossy links
 */
record WolTarget(String broadcast, int port, int repeat) {
  static final String EXAMPLE = "wol://192.168.1.255:9";

  /** Parses a {@code wol://} URI; every problem names {@code field}. */
  public static WolTarget parse(String field, String raw) {
    DriverUri u = DriverUri.parse(field, raw, EXAMPLE).allowOnly(Set.of("repeat"));
    if (!u.scheme().equals("wol")) {
      throw new InvalidInputException(field, "scheme '" + u.scheme() + "' is not wol", "write it like " + EXAMPLE);
    }
    return new WolTarget(u.requireHost("broadcast"), u.portOr(9), u.intParam("repeat", 1, 1, 10));
  }
}
