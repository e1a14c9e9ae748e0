package org.corral.cli.command;

import org.corral.cli.render.Output;
import org.jspecify.annotations.Nullable;

/** The options every command accepts, as the root command parsed them. */
public interface Globals {
  /** {@code --api}, or null when not given (then CORRAL_API, then the default applies). */
  @Nullable String api();

  Output output();
}
