package org.corral.controller.store;

import java.sql.SQLException;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an embedded H2 file in proportion to its live data. With {@code WRITE_DELAY=0} H2 writes
 * every commit as a new chunk and runs no background thread, so nothing ever moves the few pages
 * that stay live in old chunks (a journal leaf that filled up, a VM row not touched since): the
 * chunks can never be freed and the file grows by about 23 KB per commit. Every {@link
 * #COMMITS_BETWEEN_RUNS} commits this does, on the store's own connection, what H2's background
 * writer would do: it copies the live pages out of the emptiest old chunks ({@link
 * MVStore#compact}) and commits the copies ({@code CHECKPOINT}); H2 then frees those chunks once
 * they are older than its retention time and writes later chunks into their space.
 *
 * <p>Counted in commits, not timed, so that a test gets the same runs on a fast or a loaded machine.
 * Not thread-safe: {@link JdbcStore} calls it under its connection's lock.
 */
final class H2Housekeeping {
  /** Between two runs the file gains at most this many fresh chunks (about 4.6 MB). */
  static final int COMMITS_BETWEEN_RUNS = 200;
  /** Chunks are rewritten while, on average, less than this share of their bytes is live. */
  static final int TARGET_FILL_PERCENT = 50;
  /**
   * Live bytes copied per run at most: 20 KB per commit, about what one small commit's chunk
   * holds in all, so that the runs keep up with the live pages that the commits leave behind.
   */
  static final int MAX_BYTES_PER_RUN = 4 * 1024 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(H2Housekeeping.class);

  private int commitsSinceRun;

  /** Counts a committed batch and runs the housekeeping when its turn has come. */
  void afterCommit(Handle h) {
    if (++commitsSinceRun < COMMITS_BETWEEN_RUNS) {
      return;
    }
    commitsSinceRun = 0;
    try {
      run(h);
    } catch (SQLException | RuntimeException e) {
      // The batch is committed: failing the write would report a stored batch as lost. The file
      // only grows a little until the next run, COMMITS_BETWEEN_RUNS commits later, tries again.
      LOG.warn("H2 housekeeping failed ({}); the data is safe and it is tried again after {} more commits", e.toString(),
          COMMITS_BETWEEN_RUNS);
    }
  }

  /** Rewrites live pages out of the emptiest chunks and commits them; false if nothing was moved. */
  static boolean run(Handle h) throws SQLException {
    // Only an embedded database has its MVStore in this process (a server's is the server's
    // business), and only a file has chunks to compact (compact() is false for jdbc:h2:mem).
    if (!(h.getConnection().unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session)
        || session.getDatabase().getStore() == null) {
      return false;
    }
    MVStore store = session.getDatabase().getStore().getMvStore();
    if (!store.compact(TARGET_FILL_PERCENT, MAX_BYTES_PER_RUN)) {
      return false;
    }
    // The copies are only in memory until a commit writes them (H2 commits on its own only with
    // a write delay); CHECKPOINT writes them now, as the next batch's commit would.
    h.execute("CHECKPOINT");
    return true;
  }
}
