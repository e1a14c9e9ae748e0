package org.corral.model;

/**
 * An error a user or operator can act on. Each subclass maps to one stable problem type in the
 * API (see {@link #problemType()}), so that clients can branch on it without parsing messages.
 */
public abstract sealed class CorralException extends RuntimeException
    permits InvalidInputException, NotFoundException, ConflictException, AccessDeniedException {

  protected CorralException(String message) {
    super(message);
  }

  /** Stable short name, used as the last part of the problem+json type URI. */
  public abstract String problemType();
}
