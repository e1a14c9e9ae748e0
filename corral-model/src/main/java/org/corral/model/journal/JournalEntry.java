package org.corral.model.journal;

import org.jspecify.annotations.Nullable;
import java.time.Instant;
import org.corral.model.plan.Cause;

/**
 * One line of the journal.
 *
 * @param seq       position in the journal, assigned by the store (0 before it is appended)
 * @param from      previous state name for STATE_CHANGED, else null
 * @param to        new state name for STATE_CHANGED, else null
 * @param actionKey the idempotency key of the action concerned, or null
 * @param message   a sentence for people
 */
public record JournalEntry(
    long seq,
    Instant at,
    EntryKind kind,
    SubjectKind subjectKind,
    String subject,
    @Nullable String from,
    @Nullable String to,
    @Nullable String actionKey,
    @Nullable Cause cause,
    String message) {

  public JournalEntry withSeq(long s) {
    return new JournalEntry(s, at, kind, subjectKind, subject, from, to, actionKey, cause, message);
  }
}
