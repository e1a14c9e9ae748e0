package org.corral.drivers.guest;

/** Exit code and captured output of a command. */
public record ExecResult(int exitCode, String stdout, String stderr) {
  public boolean ok() {
    return exitCode == 0;
  }
}
