package org.corral.cli.api;

/** Something answered, but not as Corral would (not JSON, or not the expected shape). */
public final class BadResponseException extends RuntimeException {
  public BadResponseException(String message) {
    super(message);
  }
}
