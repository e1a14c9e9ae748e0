package org.corral.cli.command;

import picocli.CommandLine.Option;

/** {@code --on | --off}, exactly one (used as an exclusive, required picocli ArgGroup). */
final class Toggle {
  @Option(names = "--on", required = true, description = "Turn it on.")
  boolean on;

  @Option(names = "--off", required = true, description = "Turn it off.")
  boolean off;

  public boolean enabled() {
    return on;
  }
}
