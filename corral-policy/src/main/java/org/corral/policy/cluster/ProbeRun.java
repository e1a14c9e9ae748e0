package org.corral.policy.cluster;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An elasticity metric probe to run now: {@code command} (templated) on member VM {@code vm}; its
 * standard output, a number, is one sample of {@code role}'s metric {@code metric}.
 */
public record ProbeRun(String role, String metric, String vm, List<String> command, @Nullable String guest) {
  public ProbeRun {
    command = List.copyOf(command);
  }
}
