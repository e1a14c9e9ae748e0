package org.corral.cli.convert;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A finite decimal ≥ 0 (watts). */
public final class NonNegativeDouble implements ITypeConverter<Double> {
  @Override
  public Double convert(String value) {
    double x;
    try {
      x = Double.parseDouble(value.strip());
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + value + "' is not a number");
    }
    if (!Double.isFinite(x) || x < 0) {
      throw new TypeConversionException("'" + value + "' must be a finite number, 0 or more");
    }
    return x;
  }
}
