package org.corral.cli.command;

/** The corral command's exit statuses, as documented in docs/cli.md and every --help footer. */
public enum ExitCode {
  OK(0),
  /** A bug or an unforeseen failure; also a failed {@code host check}. */
  UNEXPECTED(1),
  /** Bad command line (picocli's own code for usage errors). */
  USAGE(2),
  NOT_FOUND(3),
  /** Conflict or illegal state transition (HTTP 409). */
  CONFLICT(4),
  /** The API rejected the input (HTTP 400). */
  INVALID(5),
  /** No answer from the API, or it is starting/stopping (HTTP 503). */
  UNREACHABLE(6),
  /** {@code --wait} gave up: timeout, or the VM FAILED. */
  WAIT_GAVE_UP(7),
  /** No valid token (HTTP 401), a role that does not allow it (403), or too many failed logins (429). */
  DENIED(8);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The exit status for an API error status. */
  public static ExitCode forHttpStatus(int status) {
    return switch (status) {
      case 400, 422 -> INVALID;
      case 404 -> NOT_FOUND;
      case 409 -> CONFLICT;
      case 401, 403, 429 -> DENIED;
      case 503 -> UNREACHABLE;
      default -> UNEXPECTED;
    };
  }
}
