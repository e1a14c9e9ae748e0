package org.corral.drivers;

import org.jspecify.annotations.Nullable;

/**
 * A driver call that failed. {@link #kind()} tells the executor whether retrying can help.
 * Messages never contain secrets.
 */
public class DriverException extends RuntimeException {
  /** Why a driver call failed. */
  public enum Kind {
    /** The host, BMC or service did not answer (network, down, partitioned). Retry may help. */
    UNREACHABLE(true),
    /** The call did not finish in time. Retry may help. */
    TIMEOUT(true),
    /** Credentials were refused. Retrying will not help until the configuration changes. */
    AUTH(false),
    /** The domain, volume or host named does not exist. */
    NOT_FOUND(false),
    /** The request is invalid or the target refused it (bad XML, no such network, migration refused). */
    REJECTED(false),
    /** Something failed on the other side that may pass (libvirt internal error, busy). */
    TRANSIENT(true),
    /** This driver cannot do this at all (e.g. the test driver and live migration). */
    UNSUPPORTED(false);

    private final boolean retryable;

    Kind(boolean retryable) {
      this.retryable = retryable;
    }

    public boolean retryable() {
      return retryable;
    }
  }

  private final Kind kind;

  public DriverException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public DriverException(Kind kind, @Nullable String message, @Nullable Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  /** Unwraps CompletionException/ExecutionException layers and classifies anything else as TRANSIENT. */
  public static DriverException of(Throwable t) {
    Throwable c = t;
    while ((c instanceof java.util.concurrent.CompletionException || c instanceof java.util.concurrent.ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    if (c instanceof DriverException d) {
      return d;
    }
    if (c instanceof java.util.concurrent.TimeoutException) {
      return new DriverException(Kind.TIMEOUT, "timed out", c);
    }
    return new DriverException(Kind.TRANSIENT, String.valueOf(c.getMessage() != null ? c.getMessage() : c.toString()), c);
  }
}
