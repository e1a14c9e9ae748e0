package org.corral.model;

/** A state change that the state machine of a host or VM does not allow. */
public final class IllegalTransitionException extends ConflictException {
  public IllegalTransitionException(String kind, String name, Enum<?> from, Enum<?> to) {
    super(kind + " '" + name + "' cannot go from " + from + " to " + to);
  }

  @Override
  public String problemType() {
    return "illegal-transition";
  }
}
