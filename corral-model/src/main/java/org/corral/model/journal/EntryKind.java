package org.corral.model.journal;

/** What a journal entry records. */
public enum EntryKind {
  CREATED, UPDATED, DELETED, STATE_CHANGED,
  ACTION_QUEUED, ACTION_STARTED, ACTION_SUCCEEDED, ACTION_FAILED, ACTION_RETRYING, ACTION_REJECTED, ACTION_RESUMED,
  UNPLACEABLE, FAULT_INJECTED, CONTROLLER_STARTED, RECONCILED,
  /** The optimizer chose not to act, and why (no room, a cap reached); journaled when it first appears. */
  OPTIMIZER_NOTE,
  /** A password login was refused (wrong password, unknown user, or too many failures). */
  LOGIN_FAILED,
  /** The Guardian waits (a host it cannot prove off, no room for a VM); journaled when it first appears. */
  GUARDIAN_NOTE
}
