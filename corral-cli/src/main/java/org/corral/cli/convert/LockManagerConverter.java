package org.corral.cli.convert;

import org.corral.model.InvalidInputException;
import org.corral.model.host.LockManager;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code sanlock|lockd|none} (any case; {@code virtlockd} for lockd) to the model's lock manager kind. */
public final class LockManagerConverter implements ITypeConverter<LockManager.Kind> {
  @Override
  public LockManager.Kind convert(String value) {
    try {
      return LockManager.Kind.parse("--lock-manager", value);
    } catch (InvalidInputException e) {
      throw new TypeConversionException("'" + value + "' is not a lock manager; give sanlock, lockd or none");
    }
  }
}
