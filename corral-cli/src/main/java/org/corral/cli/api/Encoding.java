package org.corral.cli.api;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;

/** Percent-encoding for URL path segments and query strings (RFC 3986 unreserved kept as is). */
final class Encoding {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private Encoding() {}

  static String segment(String s) {
    StringBuilder b = new StringBuilder();
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (x & 0xff);
      if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_' || c == '~')) {
        b.append(c);
      } else {
        b.append('%').append(HEX[(x >> 4) & 0xf]).append(HEX[x & 0xf]);
      }
    }
    return b.toString();
  }

  /** {@code ?a=1&b=2}, skipping null values; "" when nothing is left. */
  static String query(Map<String, String> params) {
    StringJoiner j = new StringJoiner("&", "?", "").setEmptyValue("");
    params.forEach((k, v) -> {
      if (v != null) {
        j.add(segment(k) + "=" + segment(v));
      }
    });
    return j.toString();
  }
}
