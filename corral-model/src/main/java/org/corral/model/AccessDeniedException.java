package org.corral.model;

/**
 * A request refused because of who sent it: no valid credentials (401), credentials that do not
 * allow it (403), or too many failed logins (429). The message says what to do, never echoes a
 * secret.
 */
public final class AccessDeniedException extends CorralException {
  /** Why the request was refused. */
  public enum Reason {
    /** No token, an unknown, expired or revoked one, or a wrong password: HTTP 401. */
    UNAUTHENTICATED(401, "unauthenticated"),
    /** Authenticated, but the role does not allow it: HTTP 403. */
    FORBIDDEN(403, "forbidden"),
    /** Too many failed logins for this user or address: HTTP 429. */
    TOO_MANY_ATTEMPTS(429, "too-many-attempts");

    private final int status;
    private final String type;

    Reason(int status, String type) {
      this.status = status;
      this.type = type;
    }

    public int status() {
      return status;
    }
  }

  private final Reason reason;
  private final long retryAfterSeconds;

  public AccessDeniedException(Reason reason, String message) {
    this(reason, message, 0);
  }

  /** @param retryAfterSeconds for TOO_MANY_ATTEMPTS: when to try again */
  public AccessDeniedException(Reason reason, String message, long retryAfterSeconds) {
    super(message);
    this.reason = reason;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public Reason reason() {
    return reason;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  @Override
  public String problemType() {
    return reason.type;
  }
}
