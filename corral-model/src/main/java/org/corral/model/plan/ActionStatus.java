package org.corral.model.plan;

/** Progress of one action through the executor. */
public enum ActionStatus {
  /** Accepted, waiting for a concurrency slot. */
  QUEUED,
  /** Recorded as started; a driver call may be in flight. Found in this state after a crash, it is reconciled. */
  RUNNING,
  SUCCEEDED,
  /** Gave up after retries or on a permanent error. */
  FAILED,
  /** Preconditions no longer held when it was about to run; nothing was done. */
  REJECTED;

  public boolean isFinal() {
    return this == SUCCEEDED || this == FAILED || this == REJECTED;
  }
}
