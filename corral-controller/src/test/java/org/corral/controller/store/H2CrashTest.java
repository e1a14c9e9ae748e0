package org.corral.controller.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.corral.model.journal.JournalEntry;
import org.corral.model.vm.Vm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A controller killed with SIGKILL loses no committed batch and leaves no half batch: a child JVM
 * writes to an H2 store and reports each commit; the test kills it mid-stream and reopens the store,
 * several times over the same file. Each child writes over freed space at once and runs the store's
 * housekeeping several times before it is killed (see {@link H2CrashWriter}), so the kills land
 * in a file whose chunks are being reused and moved, not only appended.
 */
class H2CrashTest {
  private static final int ROUNDS = 2;
  /** Five housekeeping runs in each round. */
  private static final int COMMITS_BEFORE_KILL = 5 * H2Housekeeping.COMMITS_BETWEEN_RUNS;

  @TempDir Path dir;
  private Process child;

  @AfterEach
  void killChild() {
    if (child != null) {
      child.destroyForcibly();
    }
  }

  @Test
  void everyCommittedBatchSurvivesKillMinusNine() throws Exception {
    long acknowledged = 0;
    for (int round = 1; round <= ROUNDS; round++) {
      acknowledged = killWhileWriting(acknowledged + COMMITS_BEFORE_KILL, round == 1);

      try (Store store = JdbcStore.h2File(dir)) {
        long last = store.lastSeq();
        assertThat(last).as("round %d: every acknowledged batch is there", round).isGreaterThanOrEqualTo(acknowledged);
        List<Vm> vms = store.load().vms();
        assertThat(vms).as("round %d: each batch's VM is there exactly when its journal entry is", round).hasSize((int) last);
        List<JournalEntry> tail = store.journal(last - 1, 10, null);
        assertThat(tail).extracting(JournalEntry::message).containsExactly("batch " + last);
        acknowledged = last;
      }
    }
    // Appending only, the 2,000 and more commits of about 23 KB each would take over 45 MB.
    assertThat(Files.size(dir.resolve("corral.mv.db"))).as("file size: freed space was being reused when the kills came")
        .isLessThan(16L * 1024 * 1024);
  }

  /** Starts a writer, waits until it has acknowledged {@code until} batches, kills it; returns the last acknowledged. */
  private long killWhileWriting(long until, boolean checkLock) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    child = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
        H2CrashWriter.class.getName(), dir.toString()))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));

    assertThat(readLine(out)).isEqualTo("open");
    if (checkLock) {
      // While the child holds the store, a second process must be turned away with a clear message.
      assertThatThrownBy(() -> JdbcStore.h2File(dir)).isInstanceOf(StoreException.class)
          .hasMessageContaining("in use by another process");
    }

    long acknowledged = 0;
    while (acknowledged < until) {
      String line = readLine(out);
      assertThat(line).as("child output").startsWith("committed ");
      acknowledged = Long.parseLong(line.substring("committed ".length()));
    }
    child.destroyForcibly(); // SIGKILL: no shutdown hook, no close
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("child gone after SIGKILL").isTrue();
    child = null;
    return acknowledged;
  }

  /**
   * Reads the child's next protocol line ("open" or "committed N"), skipping its log output;
   * fails instead of hanging if the child stops talking.
   */
  private static String readLine(BufferedReader in) throws Exception {
    return CompletableFuture.supplyAsync(() -> {
      try {
        String line;
        do {
          line = in.readLine();
        } while (line != null && !line.equals("open") && !line.startsWith("committed "));
        return line;
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }).get(60, TimeUnit.SECONDS);
  }
}
