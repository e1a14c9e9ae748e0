package org.corral.controller.store;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.time.Duration;
import java.util.Properties;
import java.util.function.Function;
import org.corral.controller.store.Changes.Change;
import org.corral.model.InvalidInputException;
import org.corral.model.journal.JournalEntry;
import org.corral.model.plan.ActionRecord;
import org.corral.model.plan.ActionStatus;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Store} in a relational database through JDBC: embedded H2 by default
 * ({@link #h2File}), PostgreSQL for production ({@link #open}). Opening creates or upgrades the
 * tables (Flyway migrations in {@code db/migration}). Each {@link #write} is one transaction:
 * all of the batch or none of it, journal sequence numbers strictly increasing.
 *
 * <p>Thread-safe: calls are serialized over one connection. One controller process per database:
 * H2 locks its file against a second process; on PostgreSQL a second writer would collide on the
 * journal's sequence numbers and its batch would fail whole.
 *
 * <p>Failures throw {@link StoreException} (nothing of a failed batch is kept) or, for a batch the
 * store cannot record at all, {@link InvalidInputException} naming the change.
 */
public final class JdbcStore implements Store {
  private final SerialHandle db;
  private final Jdbi jdbi;
  /** Opens a connection to the same database with extra driver properties (the lease table's timeouts). */
  private final Connector connector;

  /** The longest any statement may wait for the PostgreSQL server's answer (socketTimeout). */
  static final Duration STATEMENT_WAIT = Duration.ofSeconds(30);

  /** How to open a connection to the store's database, with extra driver properties. */
  @FunctionalInterface
  private interface Connector {
    java.sql.Connection open(Properties extra) throws java.sql.SQLException;
  }
  private final String where;
  private final boolean postgres;
  /** The leader's fencing token when controllers share the database; null when one controller writes alone. */
  private volatile @Nullable Fence fence;

  /** Who may write: the lease holder, as of its epoch. */
  private record Fence(String holder, long epoch) {}
  private final SqlWriter writer;
  private final SqlReader reader;
  /** For an H2 database, what keeps its file from growing without bound; null for PostgreSQL. */
  private final @Nullable H2Housekeeping housekeeping;
  /** Highest seq committed, or -1 when unknown (after a failed commit): then read from the table. */
  private long lastSeq = -1;

  private JdbcStore(Jdbi jdbi, Connector connector, SerialHandle db, String where,
      @Nullable H2Housekeeping housekeeping) {
    this.jdbi = jdbi;
    this.connector = connector;
    this.db = db;
    this.where = where;
    this.postgres = housekeeping == null;
    this.housekeeping = housekeeping;
    RecordJson json = new RecordJson();
    this.writer = new SqlWriter(json);
    this.reader = new SqlReader(json);
  }

  /**
   * Opens (creating or upgrading its tables) the store at {@code jdbcUrl}: {@code
   * jdbc:postgresql://HOST:PORT/DB} (add {@code ?currentSchema=NAME} to use a schema other than
   * the user's default; it must exist) or {@code jdbc:h2:...} (for a file prefer {@link #h2File},
   * which adds the settings that make each commit durable). Give the password here, not in the
   * URL; it never appears in messages.
   *
   * @throws InvalidInputException when the URL is missing or names an unsupported database
   * @throws StoreException when the database cannot be reached, refuses the credentials or cannot
   *     hold the tables; the message says how to fix it
   */
  public static JdbcStore open(String jdbcUrl, @Nullable String user, @Nullable String password) {
    if (jdbcUrl == null || jdbcUrl.isBlank()) {
      throw new InvalidInputException("store.url", "is missing", "give jdbc:postgresql://HOST:PORT/DB, or leave it out to use the embedded H2 store");
    }
    Redaction redaction = new Redaction(jdbcUrl, password);
    if (!jdbcUrl.startsWith("jdbc:postgresql:") && !jdbcUrl.startsWith("jdbc:h2:")) {
      throw new InvalidInputException("store.url", "'" + redaction.url() + "' is not a supported database",
          "use jdbc:postgresql://HOST:PORT/DB or jdbc:h2:file:PATH");
    }
    Properties credentials = new Properties();
    if (user != null) {
      credentials.setProperty("user", user);
    }
    if (password != null) {
      credentials.setProperty("password", password);
    }
    boolean pg = jdbcUrl.startsWith("jdbc:postgresql:");
    Connector connector = extra -> {
      Properties p = new Properties();
      p.putAll(credentials);
      p.putAll(extra);
      java.sql.Connection c = DriverManager.getConnection(jdbcUrl, p);
      if (pg) {
        // A controller cut off in the middle of a transaction must not hold its locks (the lease
        // row above all) until TCP gives up on it: the server ends such a session.
        try (java.sql.Statement st = c.createStatement()) {
          st.execute("SET idle_in_transaction_session_timeout = '10s'");
        }
      }
      return c;
    };
    Properties bounded = new Properties();
    if (pg) {
      // No wait on the database without an end: a network that drops packets (rather than refusing
      // them) must fail a statement in bounded time, or a deposed leader's loop would wait on it until
      // TCP gives up (many minutes). Generous, since a big batch is one statement; the URL may override it.
      bounded.setProperty("socketTimeout", Long.toString(STATEMENT_WAIT.toSeconds()));
    }
    Jdbi jdbi = Jdbi.create(() -> connector.open(bounded));
    Handle first;
    try {
      first = jdbi.open();
    } catch (JdbiException e) {
      throw OpenFailure.of(e, user, redaction);
    }
    try {
      migrate(jdbcUrl, user, password);
    } catch (FlywayException e) {
      first.close();
      throw OpenFailure.of(e, user, redaction);
    }
    H2Housekeeping housekeeping = jdbcUrl.startsWith("jdbc:h2:") ? new H2Housekeeping() : null;
    return new JdbcStore(jdbi, connector, new SerialHandle(jdbi, first), redaction.url(), housekeeping);
  }

  /**
   * Opens (creating if needed) the embedded H2 store in {@code dir} ({@code dir/corral.mv.db}).
   * A committed {@link #write} is in the file when it returns: it survives the process being
   * killed (kill -9), though not necessarily a power cut, since H2 does not fsync each commit. The
   * file stays in proportion to the live data: every 200 commits the store compacts it a little
   * (see {@code H2Files}). Only one process may have the directory open.
   *
   * @throws StoreException when the directory cannot be created or written, or another process
   *     has the store open
   */
  public static JdbcStore h2File(Path dir) {
    return open(H2Files.prepare(dir), H2Files.USER, "");
  }

  private static void migrate(String url, @Nullable String user, @Nullable String password) {
    Flyway.configure(JdbcStore.class.getClassLoader())
        .dataSource(url, user, password)
        .locations("classpath:db/migration")
        .failOnMissingLocations(true)
        // A database migrated by a newer Corral is refused rather than written with old code.
        .ignoreMigrationPatterns("")
        .load()
        .migrate();
  }

  @Override
  public StoredState load() {
    return call("read everything from", reader::load);
  }

  @Override
  public List<JournalEntry> write(Changes changes) {
    List<Change> list = ChangeRules.check(changes);
    if (list.isEmpty()) {
      return List.of();
    }
    return call("write a batch to", h -> {
      long before = lastSeq >= 0 ? lastSeq : SqlReader.lastSeq(h);
      lastSeq = -1; // unknown until the commit is known to have happened
      Fence f = fence;
      List<JournalEntry> appended = h.inTransaction(tx -> {
        List<JournalEntry> written = writer.apply(tx, list, before);
        if (f != null) {
          // Last, so that the lease row is locked only for the commit's round trip: a controller
          // deposed meanwhile (a new epoch taken) writes nothing.
          int mine = tx.createUpdate("UPDATE controller_lease SET epoch = epoch WHERE id = 1 AND holder = :holder AND epoch = :epoch")
              .bind("holder", f.holder()).bind("epoch", f.epoch()).execute();
          if (mine != 1) {
            throw new DeposedException(f.holder(), f.epoch());
          }
        }
        return written;
      });
      lastSeq = before + appended.size();
      if (housekeeping != null) {
        housekeeping.afterCommit(h);
      }
      return List.copyOf(appended);
    });
  }

  /**
   * From now on every write commits only while {@code holder} holds the lease with {@code epoch}
   * (the fencing token of controller HA); otherwise it fails whole with {@link DeposedException}.
   */
  public void fence(String holder, long epoch) {
    this.fence = new Fence(holder, epoch);
  }

  /** The leader lease of this database, on a connection of its own (PostgreSQL only). */
  public Leases leases(Duration timeout) {
    if (!postgres) {
      throw new InvalidInputException("store.url", "is an embedded H2 database, which one process alone can open",
          "give the controllers a shared PostgreSQL database: store.url jdbc:postgresql://HOST:PORT/DB");
    }
    // A connection of its own whose every wait is bounded: a database that stops answering (a
    // network that drops packets rather than refusing them) must fail a renewal in time for the
    // leader to stop acting by its own clock, not hang its elector until TCP gives up.
    Properties bounded = new Properties();
    String seconds = Long.toString(Math.max(1, (timeout.toMillis() + 999) / 1000));
    bounded.setProperty("connectTimeout", seconds);
    bounded.setProperty("loginTimeout", seconds);
    bounded.setProperty("socketTimeout", seconds);
    Jdbi own = Jdbi.create(() -> connector.open(bounded));
    return new Leases(new SerialHandle(own, own.open()), where);
  }

  @Override
  public Optional<ActionRecord> action(String key) {
    if (key == null) {
      return Optional.empty();
    }
    return call("read an action from", h -> reader.action(h, key));
  }

  @Override
  public List<ActionRecord> actions(ActionStatus status, int limit) {
    JournalPage.checkLimit(limit);
    if (limit == 0) {
      return List.of();
    }
    return call("read actions from", h -> reader.actions(h, status, limit));
  }

  @Override
  public List<JournalEntry> journal(long afterSeq, int limit, @Nullable String subject) {
    JournalPage.checkLimit(limit);
    if (limit == 0) {
      return List.of();
    }
    return call("read the journal from", h -> reader.journal(h, afterSeq, limit, subject));
  }

  @Override
  public List<JournalEntry> journalTail(int limit, @Nullable String subject) {
    JournalPage.checkLimit(limit);
    if (limit == 0) {
      return List.of();
    }
    return call("read the journal from", h -> reader.journalTail(h, limit, subject));
  }

  @Override
  public long compactJournal(java.time.Instant before, long keepNewest, int maxDelete) {
    JournalPage.checkRetention(keepNewest, maxDelete);
    return call("write a batch to", h -> {
      long first = SqlReader.firstSeq(h);
      long last = SqlReader.lastSeq(h);
      if (first == 0 || maxDelete == 0) {
        return 0L;
      }
      // Seqs are contiguous from first to last and written in time order: binary search by
      // primary key for the first entry not older than before (the newest is always kept).
      long lo = first;
      long hi = last;
      while (lo < hi) {
        long mid = (lo + hi) >>> 1;
        java.time.Instant at = SqlReader.entryTime(h, mid);
        if (at != null && at.isBefore(before)) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      long cut = Math.max(lo - 1, last - keepNewest);
      cut = Math.min(cut, Math.min(first + maxDelete - 1, last - 1));
      if (cut < first) {
        return 0L;
      }
      long upTo = cut;
      return (long) h.inTransaction(tx -> tx.createUpdate("DELETE FROM journal WHERE seq <= :cut").bind("cut", upTo).execute());
    });
  }

  @Override
  public long lastSeq() {
    return call("read the journal from", h -> {
      if (lastSeq < 0) {
        lastSeq = SqlReader.lastSeq(h);
      }
      return lastSeq;
    });
  }

  @Override
  public void close() {
    db.close();
  }

  @Override
  public String toString() {
    return "JdbcStore[" + where + "]";
  }

  private <T> T call(String doing, Function<Handle, T> work) {
    try {
      return db.call(work);
    } catch (JdbiException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      String state = cause instanceof SQLException sql && sql.getSQLState() != null ? sql.getSQLState() : "";
      // 08: connection exceptions; 57P: the server shut the session down (restart, pg_terminate_backend).
      boolean connection = state.startsWith("08") || state.startsWith("57P");
      String outcome = !doing.startsWith("write") ? ""
          : connection ? "; the batch was rolled back, unless the connection broke during the commit itself"
          : "; nothing of the batch was applied";
      String fix = connection
          ? "; check that the database is running and reachable (the next call reconnects)"
          : "; the database refused a statement: a bug in Corral or tables changed by hand";
      throw new StoreException("cannot " + doing + " the store at " + where + " (" + cause.getMessage() + ")" + outcome + fix, e);
    }
  }
}
