package org.corral.cli.convert;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.corral.model.vm.PlacementPolicy;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code packing|striping|load-aware|power-aware|custom} (any case, '_' for '-') to the model's policy. */
public final class PolicyConverter implements ITypeConverter<PlacementPolicy> {
  @Override
  public PlacementPolicy convert(String value) {
    String key = value.strip().toUpperCase(Locale.ROOT).replace('-', '_');
    for (PlacementPolicy p : PlacementPolicy.values()) {
      if (p.name().equals(key)) {
        return p;
      }
    }
    throw new TypeConversionException("'" + value + "' is not a policy; give one of " + names());
  }

  /** The names as users type them: packing, striping, load-aware, power-aware, custom. */
  public static String names() {
    return Arrays.stream(PlacementPolicy.values()).map(PolicyConverter::cliName).collect(Collectors.joining(", "));
  }

  public static String cliName(PlacementPolicy p) {
    return p.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
