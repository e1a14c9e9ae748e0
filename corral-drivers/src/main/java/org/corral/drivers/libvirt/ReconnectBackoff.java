package org.corral.drivers.libvirt;

import java.time.Duration;
import org.corral.model.time.Seeds;

/**
 * Delays between reconnection attempts: exponential from {@code initial}, capped at {@code max},
 * each reduced by a random share of up to {@code jitter} drawn from {@code seed}, so that hosts
 * lost together do not all retry at the same instant, and a given seed replays the same delays.
 *
 * @param jitter in [0, 1): 0.2 means each delay is between 80% and 100% of its exponential value
 */
public record ReconnectBackoff(Duration initial, Duration max, double jitter, long seed) {
  public static final ReconnectBackoff DEFAULT = new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofMinutes(2), 0.2, 1L);

  public ReconnectBackoff {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + " and " + max);
    }
    if (jitter < 0 || jitter >= 1) {
      throw new IllegalArgumentException("jitter must be in [0, 1), was " + jitter);
    }
  }

  /** The delay before attempt {@code attempt + 1} after {@code attempt} failures (attempt >= 1). */
  public Duration delay(String uri, int attempt) {
    long cap = max.toNanos();
    long d = initial.toNanos();
    for (int i = 1; i < attempt && d < cap; i++) {
      d = d > cap / 2 ? cap : d * 2;
    }
    d = Math.min(d, cap);
    double share = Seeds.random(Seeds.derive(seed, "reconnect:" + uri, attempt)).nextDouble() * jitter;
    return Duration.ofNanos(Math.round(d * (1 - share)));
  }
}
