package org.corral.model.plan;

import java.time.Instant;

/** The executor's durable record of one action (its idempotency ledger). */
public record ActionRecord(Action action, ActionStatus status, int attempts, Instant created, Instant updated, String error) {
  public String key() {
    return action.key();
  }

  public ActionRecord with(ActionStatus s, int attemptCount, Instant at, String err) {
    return new ActionRecord(action, s, attemptCount, created, at, err);
  }
}
