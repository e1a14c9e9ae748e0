package org.corral.cli.command;

/** {@code --wait} stopped waiting: the action failed or was rejected, the VM failed, or the deadline passed. Exit status 7. */
public final class WaitGaveUpException extends RuntimeException {
  public WaitGaveUpException(String message) {
    super(message);
  }
}
