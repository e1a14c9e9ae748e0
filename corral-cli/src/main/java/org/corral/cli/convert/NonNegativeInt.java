package org.corral.cli.convert;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A whole number ≥ 0. Zero passes so that the API, which owns the limits, can say why it is wrong. */
public final class NonNegativeInt implements ITypeConverter<Integer> {
  @Override
  public Integer convert(String value) {
    long n = NonNegativeLong.parse(value);
    if (n > Integer.MAX_VALUE) {
      throw new TypeConversionException("'" + value + "' is too large");
    }
    return (int) n;
  }
}
