package org.corral.controller.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.corral.model.InvalidInputException;

/**
 * Where an embedded H2 store lives: {@code <dir>/corral.mv.db}, and the URL that opens it.
 *
 * <p>Durability: {@code WRITE_DELAY=0} makes H2's MVStore write its changes to the file when each
 * transaction commits (with the default of 500 ms a background thread writes them later, and a
 * kill -9 loses up to half a second of commits). H2 does not fsync on commit, so a committed
 * batch survives the controller process being killed (the data is in the operating system's
 * page cache) but not necessarily a power cut or kernel crash; use PostgreSQL where that matters.
 *
 * <p>Size: each commit is written as a new chunk of about 23 KB (whole B-tree pages, 4 KB
 * blocks). H2 frees a chunk once none of its pages is live any more and it has been out of use
 * for the retention time (45 s of wall-clock time, left at H2's default: it is what lets a power
 * cut lose recent commits rather than tear the file). But a few pages of most chunks stay live
 * for long (a journal page that filled up, a VM row not changed since), and the thread that
 * would move them, H2's background writer, only runs with a write delay. So {@link JdbcStore}
 * does that work itself, every {@value H2Housekeeping#COMMITS_BETWEEN_RUNS} commits, on its own
 * connection ({@link H2Housekeeping}). The file is then at most the live data in chunks kept at
 * least half full, the free gaps between chunks that new chunks reuse, and the chunks of the last
 * 45 s of commits (at a few commits a second, a few MB). Measured ({@code bench/store}, with the
 * retention set to 0 so that seconds stand for weeks): 50,000 batches overwriting 500 VM rows and
 * appending 50,000 journal entries leave about 25 MB for 3.3 MB of live data (as {@code SHUTDOWN
 * COMPACT} writes it), where they left 332 MB before; the file follows the live data, about 7
 * times it, no longer the number of commits. The housekeeping costs no measurable time per batch
 * (0.3 ms either way; about 2 ms per run, every 200 commits).
 *
 * <p>{@code MAX_COMPACT_TIME=0}: no compaction when the database closes. In H2 2.3.232 that step
 * moves chunks within the file with code that fails its own assertions (h2database issue 4086,
 * reproduced here with {@code MVStore.compactFile}) and has been reported to lose data between
 * close and reopen (issue 4247); the housekeeping above keeps the file bounded without it, and
 * closing takes milliseconds instead of up to 200 ms.
 */
final class H2Files {
  /**
   * URL settings; every one is an H2 {@code SET} command. {@code DB_CLOSE_ON_EXIT=FALSE}: H2's own
   * shutdown hook would close the database while Corral's hook is still stopping the controller,
   * whose last writes (the energy counters of the last minute) then failed; Corral closes it.
   */
  static final String SETTINGS = ";WRITE_DELAY=0;MAX_COMPACT_TIME=0;DB_CLOSE_ON_EXIT=FALSE";
  static final String USER = "corral";

  private H2Files() {}

  /** Creates {@code dir} if needed, checks that it can be written, and returns the JDBC URL. */
  static String prepare(Path dir) {
    if (dir == null) {
      throw new InvalidInputException("dataDir", "is missing", "give the directory where Corral keeps its state, e.g. /var/lib/corral");
    }
    Path abs = dir.toAbsolutePath().normalize();
    if (abs.toString().contains(";")) {
      throw new InvalidInputException("dataDir", "'" + abs + "' contains ';', which ends a JDBC URL", "choose a directory whose path has no ';'");
    }
    try {
      Files.createDirectories(abs);
    } catch (IOException e) {
      throw new StoreException("cannot create the data directory " + abs + " (" + e + "); create it and give it to"
          + " the user running Corral, or choose another directory", e);
    }
    if (!Files.isDirectory(abs) || !Files.isWritable(abs)) {
      throw new StoreException("the data directory " + abs + " cannot be written; give it to the user running Corral,"
          + " or choose another directory");
    }
    return "jdbc:h2:file:" + abs.resolve("corral") + SETTINGS;
  }
}
