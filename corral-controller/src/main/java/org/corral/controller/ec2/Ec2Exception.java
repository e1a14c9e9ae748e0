package org.corral.controller.ec2;

import org.jspecify.annotations.Nullable;

/**
 * An EC2 error: its code as AWS spells it (clients branch on it), the HTTP status and a message
 * that says what was wrong and what to do.
 */
public final class Ec2Exception extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String code;
  private final int status;

  private final String text;

  public Ec2Exception(String code, int status, @Nullable String message) {
    super(message, null, false, false);
    this.code = code;
    this.status = status;
    this.text = message == null ? code : message;
  }

  /** The message, never null. */
  public String text() {
    return text;
  }

  public String code() {
    return code;
  }

  public int status() {
    return status;
  }

  static Ec2Exception invalid(String parameter, String problem) {
    return new Ec2Exception("InvalidParameterValue", 400, "Value for parameter " + parameter + " " + problem);
  }

  static Ec2Exception missing(String parameter, String example) {
    return new Ec2Exception("MissingParameter", 400, "The request must contain the parameter " + parameter + " (e.g. " + example + ")");
  }
}
