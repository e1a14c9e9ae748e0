package org.corral.controller.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.corral.model.vm.Vm;

/**
 * Child process for {@link H2CrashTest}: opens the H2 store in {@code args[0]}, goes on from its
 * last batch, and prints {@code committed N} after each {@link Store#write} returns, until it is
 * killed.
 */
public final class H2CrashWriter {
  /** A bound, so that a child whose parent died does not write forever. */
  private static final int MAX_BATCHES = 100_000;

  private H2CrashWriter() {}

  public static void main(String[] args) throws SQLException {
    Path dir = Path.of(args[0]);
    Store store = JdbcStore.h2File(dir);
    // H2 normally waits 45 s before it writes over a chunk that went out of use; with no wait the
    // kill lands while freed space is being overwritten and pages moved by the store's
    // housekeeping are being committed, the moments when a torn file would show.
    try (Connection sameDatabase = DriverManager.getConnection(H2Files.prepare(dir), H2Files.USER, "");
         Statement s = sameDatabase.createStatement()) {
      s.execute("SET RETENTION_TIME 0");
    }
    long first = store.lastSeq() + 1;
    System.out.println("open");
    System.out.flush();
    for (long i = first; i < first + MAX_BATCHES; i++) {
      Vm vm = Samples.bareVm("vm-" + i);
      store.write(new Changes().put(vm).append(Samples.entry(vm.name(), "batch " + i)));
      System.out.println("committed " + i);
      System.out.flush();
    }
  }
}
