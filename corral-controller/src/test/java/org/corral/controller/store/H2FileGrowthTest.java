package org.corral.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.corral.model.journal.JournalEntry;
import org.corral.model.vm.Vm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded H2 file stays in proportion to its live data under a long stream of small commits,
 * as a controller writes them for months: without {@link H2Housekeeping} every commit left about
 * 23 KB behind for good (12,000 batches: about 70 MB, with the retention below).
 */
class H2FileGrowthTest {
  private static final int BATCHES = 12_000;
  private static final int VMS = 200;
  /**
   * The live data is under 1 MB (200 VM rows and 12,000 journal entries: 0.8 MB once H2 has
   * compacted it on {@code SHUTDOWN COMPACT}). The file holds up to 200 commits of fresh chunks
   * between two housekeeping runs (4.6 MB), plus the live data in chunks kept at least half full,
   * in a file with up to half of it in free gaps that new chunks reuse (4 x 1 MB); 16 MB leaves
   * room over that 9 MB and is a fifth of what the file reaches without the housekeeping.
   */
  private static final long MAX_FILE_BYTES = 16L * 1024 * 1024;

  static {
    QuietFlyway.apply();
  }

  @TempDir Path dir;

  @Test
  void manySmallCommitsLeaveAFileInProportionToTheLiveData() throws Exception {
    try (Store store = JdbcStore.h2File(dir); Connection sameDatabase = rawConnection(); Statement s = sameDatabase.createStatement()) {
      // H2 keeps a chunk that went out of use for 45 s of wall-clock time before it writes over
      // it; the test writes in seconds what a controller writes in weeks, so it lets H2 reuse
      // the space at once, as a controller's store does 45 s after each chunk went out of use.
      s.execute("SET RETENTION_TIME 0");
      for (int i = 1; i <= BATCHES; i++) {
        Vm vm = Samples.bareVm("vm-" + (i % VMS));
        store.write(new Changes().put(vm).append(Samples.entry(vm.name(), "batch " + i)));
      }
      assertThat(Files.size(dir.resolve("corral.mv.db"))).as("file size after %d batches, in bytes", BATCHES)
          .isLessThan(MAX_FILE_BYTES);
    }

    try (Store store = JdbcStore.h2File(dir)) {
      assertThat(store.lastSeq()).as("every batch is still there after the pages were moved").isEqualTo(BATCHES);
      assertThat(store.load().vms()).hasSize(VMS);
      assertThat(store.journal(0, 1, null)).extracting(JournalEntry::message).containsExactly("batch 1");
      assertThat(store.journal(BATCHES - 1, 1, null)).extracting(JournalEntry::message).containsExactly("batch " + BATCHES);
    }
  }

  private Connection rawConnection() throws Exception {
    return DriverManager.getConnection(H2Files.prepare(dir), H2Files.USER, "");
  }
}
