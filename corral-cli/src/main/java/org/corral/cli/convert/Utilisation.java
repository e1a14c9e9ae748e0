package org.corral.cli.convert;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A CPU utilisation as a fraction from 0 to 1 (0.5 is half the VM's vCPUs busy). */
public final class Utilisation implements ITypeConverter<Double> {
  @Override
  public Double convert(String value) {
    return parse(value);
  }

  static double parse(String value) {
    double u;
    try {
      u = Double.parseDouble(value.strip());
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + value + "' is not a number; give a fraction from 0 to 1, e.g. 0.5");
    }
    if (!(u >= 0 && u <= 1)) {
      throw new TypeConversionException("'" + value + "' is outside 0..1; give a fraction, e.g. 0.5 for half busy");
    }
    return u;
  }
}
