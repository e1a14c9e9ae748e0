package org.corral.controller.store;

import org.jspecify.annotations.Nullable;

/**
 * The store could not be opened, read or written for a reason outside the caller's input: the
 * database is unreachable, refuses the credentials, the data directory cannot be written, or a
 * statement failed. The message says what failed and how to fix it; it never contains a password.
 * When a {@link Store#write} throws this, nothing of the batch was applied.
 */
public class StoreException extends RuntimeException {
  public StoreException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  public StoreException(String message) {
    super(message);
  }
}
