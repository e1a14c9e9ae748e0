package org.corral.cli.convert;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.corral.model.vm.HaLevel;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code high|medium|low|none} (any case) to the model's HA level. */
public final class HaConverter implements ITypeConverter<HaLevel> {
  @Override
  public HaLevel convert(String value) {
    String key = value.strip().toUpperCase(Locale.ROOT);
    for (HaLevel l : HaLevel.values()) {
      if (l.name().equals(key)) {
        return l;
      }
    }
    throw new TypeConversionException("'" + value + "' is not an HA level; give one of " + names());
  }

  /** The names as users type them: high, medium, low, none. */
  public static String names() {
    return Arrays.stream(HaLevel.values()).map(l -> l.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
  }
}
