package org.corral.controller.store;

import java.util.List;
import java.util.Optional;
import org.corral.model.journal.JournalEntry;
import org.corral.model.plan.ActionRecord;
import org.corral.model.plan.ActionStatus;
import org.jspecify.annotations.Nullable;

/**
 * Where Corral's state lives. Implementations: {@link InMemoryStore} (tests, simulation) and
 * {@link JdbcStore} (H2 embedded by default, PostgreSQL by URL). Called only from the
 * controller's loop, but implementations must still be thread-safe for reads (the API reads the
 * journal from its own threads).
 */
public interface Store extends AutoCloseable {
  /** Everything needed to rebuild the controller's state after a restart. */
  StoredState load();

  /**
   * Applies every change in {@code changes} atomically, in order. Journal entries get their
   * sequence numbers here; the returned list holds them with {@code seq} set, in order.
   *
   * <p>Entries must be appended with {@code seq} 0. Puts replace the object of the same name
   * (or action key, or meta key); deletes of a missing object do nothing. An empty batch writes
   * nothing and uses no sequence number.
   *
   * @throws org.corral.model.InvalidInputException when a change cannot be recorded (a null
   *     object, a journal entry without kind, subject kind or time, an action record without
   *     action, key, status or creation time); the field names the change, e.g. {@code
   *     changes[3].entry.kind}. Nothing was applied.
   * @throws StoreException when the database failed; nothing was applied
   */
  List<JournalEntry> write(Changes changes);

  /**
   * The action recorded under idempotency key {@code key} (a planner's key, or {@code key#n} for
   * the n-th fresh plan of a key after a rejection or failure), finished or not.
   */
  Optional<ActionRecord> action(String key);

  /**
   * Actions with {@code status}, last updated first, at most {@code limit}: what the journal says
   * was rejected or failed is findable here.
   *
   * @param limit 0 to 10,000
   * @throws org.corral.model.InvalidInputException when {@code limit} is out of range
   */
  List<ActionRecord> actions(ActionStatus status, int limit);

  /**
   * Journal entries with {@code seq > afterSeq}, oldest first, at most {@code limit}; only those
   * about {@code subject} when it is non-null. Page on by passing the last {@code seq} received.
   *
   * @param limit 0 to 10,000
   * @throws org.corral.model.InvalidInputException when {@code limit} is out of range
   */
  List<JournalEntry> journal(long afterSeq, int limit, @Nullable String subject);

  /**
   * The newest {@code limit} journal entries (about {@code subject} when non-null), oldest first:
   * the last page, at the cost of one page however long the journal is.
   *
   * @param limit 0 to 10,000
   */
  List<JournalEntry> journalTail(int limit, @Nullable String subject);

  /**
   * Retention: deletes the oldest journal entries that are older than {@code before} or beyond
   * the newest {@code keepNewest}, at most {@code maxDelete} of them (a bounded pause; call again
   * while it returns {@code maxDelete}). Sequence numbers go on from where they were: the newest
   * entry is always kept, so {@link #lastSeq()} never goes back.
   *
   * @param keepNewest at least 1
   * @return how many entries were deleted
   */
  long compactJournal(java.time.Instant before, long keepNewest, int maxDelete);

  /** The highest sequence number in the journal (0 when empty). */
  long lastSeq();

  /** Releases the store; any later call throws {@link IllegalStateException}. */
  @Override
  void close();
}
