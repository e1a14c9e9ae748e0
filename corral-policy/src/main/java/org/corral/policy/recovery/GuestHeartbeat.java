package org.corral.policy.recovery;

import java.time.Duration;
import java.time.Instant;
import org.corral.model.snapshot.AgentObservation;
import org.jspecify.annotations.Nullable;

/**
 * When a VM whose guest agent answered pings stops answering, it hangs: it is treated as a VM that
 * stopped on its own ({@link CrashRestarts}: forced off, then restarted in place, then elsewhere).
 * A guest whose agent never answered in its current run (no agent installed, or not started yet)
 * is never judged: only silence after an answer counts.
 *
 * @param interval how often each watched VM's agent is pinged; zero turns heartbeats off
 * @param missed   pings in a row without an answer, spanning at least {@code interval × missed},
 *                 before the VM is judged hung (≥ 1)
 */
public record GuestHeartbeat(Duration interval, int missed) {
  /** No heartbeats: only what the hypervisor reports counts. */
  public static final GuestHeartbeat OFF = new GuestHeartbeat(Duration.ZERO, 3);

  public GuestHeartbeat {
    if (interval.isNegative()) {
      throw new IllegalArgumentException("interval must not be negative, got " + interval);
    }
    if (missed < 1) {
      throw new IllegalArgumentException("missed must be at least 1, got " + missed);
    }
  }

  public boolean on() {
    return !interval.isZero();
  }

  /** How long an agent that answered before must stay silent to count as hung. */
  public Duration window() {
    return interval.multipliedBy(missed);
  }

  /**
   * Why the VM observed as {@code o} hangs at {@code now}, e.g. "guest agent silent for 30 s (3
   * pings unanswered since its last answer at ...; the last: ...)", or null when it does not (or
   * is not watched).
   */
  public @Nullable String silence(@Nullable AgentObservation o, Instant now) {
    Instant answered = o == null ? null : o.lastAnswer();
    if (!on() || o == null || answered == null || o.missed() < missed || Duration.between(answered, now).compareTo(window()) < 0) {
      return null;
    }
    Instant last = answered.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    return "guest agent silent for " + seconds(window()) + " (" + o.missed() + " pings unanswered since its last answer at " + last
        + "; the last: " + o.lastError() + ")";
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
