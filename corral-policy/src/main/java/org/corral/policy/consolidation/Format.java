package org.corral.policy.consolidation;

import java.math.BigDecimal;

/** Parameters in names: 0.8 not 0.80, 1.0 not 1. */
final class Format {
  private Format() {}

  /** At least one decimal, as the literature writes them: THR-1.0, LR-1.2, IQR-1.5. */
  static String number(double d) {
    String s = BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    return s.contains(".") ? s : s + ".0";
  }
}
