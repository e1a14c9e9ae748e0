package org.corral.model;

/** A named object that does not exist. */
public final class NotFoundException extends CorralException {
  public NotFoundException(String kind, String name) {
    super("no " + kind + " named " + InvalidInputException.quote(name) + "; list them with `corral " + kind + " list`");
  }

  @Override
  public String problemType() {
    return "not-found";
  }
}
