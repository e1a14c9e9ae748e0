package org.corral.model;

/**
 * A request that would take a user or group over a quota (HTTP 409, problem type
 * {@code quota-exceeded}). The message names the limit, the usage, what was asked and the fix.
 */
public final class QuotaExceededException extends ConflictException {
  public QuotaExceededException(String message) {
    super(message);
  }

  @Override
  public String problemType() {
    return "quota-exceeded";
  }
}
