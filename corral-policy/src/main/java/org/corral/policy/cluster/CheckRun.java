package org.corral.policy.cluster;

import org.corral.model.cluster.Check;

/**
 * A readiness or health check to run on member VM {@code vm} at {@code address}; {@code key}
 * ({@code role/vm}) is how its result comes back in {@link ClusterPolicy.Observed}. {@code command}
 * and {@code restart} (a supervised health check's start command) are rendered for the member.
 */
public record CheckRun(String key, String role, String vm, String address, Check check, java.util.List<String> command, boolean health,
    @org.jspecify.annotations.Nullable String guest, java.util.List<String> restart) {
  public CheckRun {
    command = java.util.List.copyOf(command);
    restart = java.util.List.copyOf(restart);
  }
}
