package org.corral.cli.convert;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code 0:0.2,300:0.8}: SECONDS:UTILISATION pairs, seconds strictly increasing. */
public final class StepsConverter implements ITypeConverter<List<WorkloadStep>> {
  private static final String EXAMPLE = "give SECONDS:UTILISATION pairs separated by commas, e.g. 0:0.2,300:0.8";

  @Override
  public List<WorkloadStep> convert(String value) {
    List<WorkloadStep> steps = new ArrayList<>();
    for (String pair : value.split(",", -1)) {
      String[] parts = pair.strip().split(":", -1);
      if (parts.length != 2) {
        throw new TypeConversionException("'" + pair + "' is not SECONDS:UTILISATION; " + EXAMPLE);
      }
      long at;
      try {
        at = NonNegativeLong.parse(parts[0]);
      } catch (TypeConversionException e) {
        throw new TypeConversionException("step '" + pair + "': seconds " + e.getMessage() + "; " + EXAMPLE);
      }
      double u = Utilisation.parse(parts[1]);
      if (!steps.isEmpty() && at <= steps.getLast().atSeconds()) {
        throw new TypeConversionException("step '" + pair + "' does not come after the one before; seconds must increase");
      }
      steps.add(new WorkloadStep(at, u));
    }
    return List.copyOf(steps);
  }
}
