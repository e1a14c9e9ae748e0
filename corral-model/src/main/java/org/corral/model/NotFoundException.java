package org.corral.model;

/** A named object that does not exist. */
public final class NotFoundException extends CorralException {
  public NotFoundException(String kind, String name) {
    this(kind, name, "list them with `corral " + kind + " list`");
  }

  /** @param hint where to look instead, e.g. "`corral actions` lists those in progress" */
  public NotFoundException(String kind, String name, String hint) {
    super("no " + kind + " named " + InvalidInputException.quote(name) + "; " + hint);
  }

  @Override
  public String problemType() {
    return "not-found";
  }
}
