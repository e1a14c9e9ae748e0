package org.corral.policy.consolidation;

import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an overload detector reads about one host.
 *
 * @param host              the host's name (for reasons)
 * @param demand            the CPU its VMs ask for now, as a share of its capacity (may exceed 1)
 * @param history           past utilisation samples, oldest first (shares of capacity)
 * @param migrationSeconds  how long moving the host's largest VM would take (LR's horizon)
 * @param intervalSeconds   the time between two samples
 */
public record HostLoad(String host, double demand, double[] history, double migrationSeconds, double intervalSeconds) {
  public HostLoad {
    Objects.requireNonNull(host, "host");
    history = history.clone();
    if (!(intervalSeconds > 0)) {
      throw new IllegalArgumentException("intervalSeconds must be positive, got " + intervalSeconds);
    }
  }

  @Override
  public double[] history() {
    return history.clone();
  }

  int length() {
    return history.length;
  }

  /** Sample {@code i}, 0 the oldest. */
  double sample(int i) {
    return history[i];
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof HostLoad l && host.equals(l.host) && Double.compare(demand, l.demand) == 0
        && Arrays.equals(history, l.history) && Double.compare(migrationSeconds, l.migrationSeconds) == 0
        && Double.compare(intervalSeconds, l.intervalSeconds) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(host, demand, Arrays.hashCode(history), migrationSeconds, intervalSeconds);
  }

  @Override
  public String toString() {
    return host + " demand " + demand + " history " + Arrays.toString(history);
  }
}
