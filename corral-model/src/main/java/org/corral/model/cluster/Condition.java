package org.corral.model.cluster;

import java.time.Instant;

/** A phase with its reason and when it was entered. */
public record Condition(ClusterPhase phase, String reason, Instant since) {
  /** This condition, or the new one when phase or reason changed ({@code since} kept when only time passes). */
  public Condition next(ClusterPhase p, String r, Instant now) {
    return p == phase && r.equals(reason) ? this : new Condition(p, r, p == phase ? since : now);
  }
}
