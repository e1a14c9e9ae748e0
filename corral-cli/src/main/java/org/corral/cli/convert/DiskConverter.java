package org.corral.cli.convert;

import org.corral.model.vm.DiskSpec;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code IMAGE[:SIZEGIB]}: a disk cloned from IMAGE, grown to SIZEGIB (absent or 0 keeps the image's size). */
public final class DiskConverter implements ITypeConverter<DiskSpec> {
  @Override
  public DiskSpec convert(String value) {
    int colon = value.lastIndexOf(':');
    String image = colon < 0 ? value : value.substring(0, colon);
    if (image.isBlank()) {
      throw new TypeConversionException("'" + value + "' has no image name; give IMAGE[:SIZEGIB], e.g. debian12:20");
    }
    if (colon < 0) {
      return new DiskSpec(image, 0);
    }
    String size = value.substring(colon + 1);
    try {
      return new DiskSpec(image, NonNegativeLong.parse(size));
    } catch (TypeConversionException e) {
      throw new TypeConversionException("size in '" + value + "': " + e.getMessage() + "; give IMAGE[:SIZEGIB], e.g. debian12:20");
    }
  }
}
