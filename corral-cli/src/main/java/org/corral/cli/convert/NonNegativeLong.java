package org.corral.cli.convert;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A whole number ≥ 0 (MiB, GiB, MHz, sequence numbers). */
public final class NonNegativeLong implements ITypeConverter<Long> {
  @Override
  public Long convert(String value) {
    return parse(value);
  }

  static long parse(String value) {
    long n;
    try {
      n = Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + value + "' is not a whole number");
    }
    if (n < 0) {
      throw new TypeConversionException("'" + value + "' is negative; give 0 or more");
    }
    return n;
  }
}
