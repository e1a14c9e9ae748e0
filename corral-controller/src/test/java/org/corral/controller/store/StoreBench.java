package org.corral.controller.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.corral.model.vm.Vm;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * How long the controller's typical write takes: 10,000 batches of one PutVm and one Append,
 * each its own transaction. Off by default; run with
 * {@code ./mvnw -B -q -pl corral-policy,corral-controller test -Dtest=StoreBench -Dcorral.bench=true}
 * (after {@code eval "$(.ci/start-postgres)"} for the PostgreSQL figure). Measures wall-clock time
 * with System.nanoTime(), which is the point of a benchmark; nothing here decides on it.
 */
@Tag("bench")
@EnabledIfSystemProperty(named = "corral.bench", matches = "true")
class StoreBench {
  private static final int BATCHES = 10_000;

  static {
    QuietFlyway.apply();
  }

  @TempDir Path dir;

  @Test
  void inMemory() {
    run("in-memory", new InMemoryStore());
  }

  @Test
  void h2File() {
    long t0 = System.nanoTime();
    Store store = JdbcStore.h2File(dir);
    report("h2 file open (create + migrate)", System.nanoTime() - t0, 1);
    run("h2 file", store);
    // At this speed (thousands of commits a second) the file is mostly the chunks of the last 45 s,
    // which H2 keeps for its retention time; h2FileSteadyState shows what stays after that.
    System.out.printf("BENCH h2 file size after the run: %d KiB%n", dir.resolve("corral.mv.db").toFile().length() / 1024);
  }

  /**
   * The file a long stream of small commits leaves: 50,000 batches overwriting 500 VM rows, with
   * H2's retention time set to 0 so that the seconds of the benchmark stand for the weeks in which
   * a controller writes as many (in production a chunk is reused 45 s after it went out of use).
   * Compares the file with the live data, as {@code SHUTDOWN COMPACT} writes it, and times the
   * close and the reopen with the 50,000-entry journal.
   */
  @Test
  void h2FileSteadyState() throws Exception {
    int batches = 50_000;
    Path file = dir.resolve("corral.mv.db");
    Store store = JdbcStore.h2File(dir);
    try (Connection c = DriverManager.getConnection(H2Files.prepare(dir), H2Files.USER, ""); Statement s = c.createStatement()) {
      s.execute("SET RETENTION_TIME 0");
      long t0 = System.nanoTime();
      write(store, 0, batches);
      report("h2 file: " + batches + " batches over 500 VMs, retention 0", System.nanoTime() - t0, batches);
    }
    long open = Files.size(file);
    long t0 = System.nanoTime();
    store.close();
    report("h2 file: close", System.nanoTime() - t0, 1);
    long closed = Files.size(file);
    t0 = System.nanoTime();
    try (Store again = JdbcStore.h2File(dir)) {
      again.lastSeq();
      report("h2 file: reopen with a " + batches + "-entry journal", System.nanoTime() - t0, 1);
    }
    try (Connection c = DriverManager.getConnection(H2Files.prepare(dir), H2Files.USER, ""); Statement s = c.createStatement()) {
      s.execute("SHUTDOWN COMPACT");
    }
    long live = Files.size(file);
    System.out.printf("BENCH h2 file after %d batches: %d KiB open, %d KiB closed; live data %d KiB; file/live %.1f%n",
        batches, open / 1024, closed / 1024, live / 1024, (double) closed / live);
  }

  @Test
  @EnabledIfEnvironmentVariable(named = "CORRAL_TEST_PG_URL", matches = ".+")
  void postgres() throws Exception {
    TestPostgres pg = TestPostgres.require("the PostgreSQL store benchmark");
    String schema = pg.createSchema("corral_bench");
    try {
      long t0 = System.nanoTime();
      Store store = JdbcStore.open(pg.schemaUrl(schema), pg.user(), pg.password());
      report("postgres open (create + migrate)", System.nanoTime() - t0, 1);
      run("postgres", store);
    } finally {
      pg.dropSchema(schema);
    }
  }

  private static void run(String name, Store store) {
    try (store) {
      // Warm-up: the first thousand batches compile the code paths and prepare the statements.
      write(store, 0, 1_000);
      long t0 = System.nanoTime();
      write(store, 1_000, BATCHES);
      report(name + ": " + BATCHES + " batches (PutVm + Append)", System.nanoTime() - t0, BATCHES);
      t0 = System.nanoTime();
      StoredState s = store.load();
      report(name + ": first load() of " + s.vms().size() + " VMs", System.nanoTime() - t0, 1);
      t0 = System.nanoTime();
      store.load();
      report(name + ": second load() of " + s.vms().size() + " VMs", System.nanoTime() - t0, 1);
      t0 = System.nanoTime();
      for (int i = 0; i < 100; i++) {
        store.journal(i * 100L, 100, null);
      }
      report(name + ": journal page of 100", System.nanoTime() - t0, 100);
    }
  }

  private static void write(Store store, int from, int count) {
    for (int i = from; i < from + count; i++) {
      // 500 VMs updated over and over, as a controller does, rather than 11,000 new rows.
      Vm vm = Samples.bareVm("vm-" + (i % 500));
      store.write(new Changes().put(vm).append(Samples.entry(vm.name(), "batch " + i)));
    }
  }

  private static void report(String what, long nanos, int count) {
    System.out.printf("BENCH %-50s total %8.1f ms, %8.3f ms each%n", what, nanos / 1e6, nanos / 1e6 / count);
  }
}
