package org.corral.cli.command;

/** {@code --wait} stopped waiting: the deadline passed or the VM failed. Exit status 7. */
public final class WaitGaveUpException extends RuntimeException {
  public WaitGaveUpException(String message) {
    super(message);
  }
}
