package org.corral.model;

/**
 * Input that can never be accepted as given: the message names the field, the value at fault and
 * the fix. Nothing was changed when this is thrown.
 */
public final class InvalidInputException extends CorralException {
  private final String field;

  public InvalidInputException(String field, String problem, String fix) {
    super(field + ": " + problem + (fix == null || fix.isBlank() ? "" : "; " + fix));
    this.field = field;
  }

  /** Dotted path of the offending field, e.g. {@code spec.memoryMib} or {@code hosts[2].uri}. */
  public String field() {
    return field;
  }

  @Override
  public String problemType() {
    return "invalid-input";
  }
}
