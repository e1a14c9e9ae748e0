package org.corral.model.plan;

import org.jspecify.annotations.Nullable;
import java.time.Instant;

/**
 * The executor's durable record of one action (its idempotency ledger), stored under the action's
 * key.
 *
 * <p>A key names an intent ("deploy vm b, version 7"). A key whose record was REJECTED or FAILED
 * does not block a fresh plan of the same intent: the executor runs that plan as {@code key#1}
 * (then {@code key#2}, ...), so the earlier outcome stays findable in the ledger.
 */
public record ActionRecord(Action action, ActionStatus status, int attempts, Instant created, @Nullable Instant updated,
    @Nullable String error) {
  public String key() {
    return action.key();
  }

  /** True when a fresh plan of this key should run again: this attempt did nothing or failed. */
  public boolean allowsFreshPlan() {
    return status == ActionStatus.REJECTED || status == ActionStatus.FAILED;
  }

  public ActionRecord with(ActionStatus s, int attemptCount, Instant at, @Nullable String err) {
    return new ActionRecord(action, s, attemptCount, created, at, err);
  }
}
