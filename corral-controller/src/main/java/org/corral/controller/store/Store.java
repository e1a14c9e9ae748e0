package org.corral.controller.store;

import java.util.List;
import java.util.Optional;
import org.corral.model.journal.JournalEntry;
import org.corral.model.plan.ActionRecord;

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
   */
  List<JournalEntry> write(Changes changes);

  Optional<ActionRecord> action(String key);

  /**
   * Journal entries with {@code seq > afterSeq}, oldest first, at most {@code limit}; only those
   * about {@code subject} when it is non-null.
   */
  List<JournalEntry> journal(long afterSeq, int limit, String subject);

  /** The highest sequence number in the journal (0 when empty). */
  long lastSeq();

  @Override
  void close();
}
