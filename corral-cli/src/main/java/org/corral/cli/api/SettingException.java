package org.corral.cli.api;

/** A setting outside the command line proper is unusable, e.g. CORRAL_API is not a URL. */
public final class SettingException extends RuntimeException {
  public SettingException(String message) {
    super(message);
  }
}
