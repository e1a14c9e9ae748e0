package org.corral.model.cluster;

import java.time.Instant;

/**
 * The last attempt of one hook run (key: event, role, hook, member, target), kept in the cluster's
 * history. A run is done once it succeeded, or failed its last retry ({@code gaveUp}).
 */
public record HookOutcome(String key, String target, java.util.List<String> command, int exitCode, String output, int attempts,
    boolean succeeded, boolean gaveUp, Instant at) {
  /** Characters of output kept: enough for an error message, not a log. */
  public static final int MAX_OUTPUT = 4096;

  public HookOutcome {
    command = java.util.List.copyOf(command);
    output = output.length() > MAX_OUTPUT ? output.substring(output.length() - MAX_OUTPUT) : output;
  }

  public boolean done() {
    return succeeded || gaveUp;
  }
}
