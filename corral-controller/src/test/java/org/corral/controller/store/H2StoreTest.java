package org.corral.controller.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.corral.model.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract for {@link JdbcStore} on an embedded H2 file, plus H2's own failure modes. */
class H2StoreTest extends JdbcStoreContract {
  @TempDir Path dir;

  @Override
  protected Store openStore() {
    return JdbcStore.h2File(dir);
  }

  @Override
  protected Store reopen(Store store) {
    store.close();
    return JdbcStore.h2File(dir);
  }

  @Override
  protected Connection rawConnection() throws SQLException {
    return DriverManager.getConnection(H2Files.prepare(dir), H2Files.USER, "");
  }

  @Test
  void theDatabaseLivesInTheGivenDirectory() {
    assertThat(dir.resolve("corral.mv.db")).isRegularFile();
  }

  @Test
  void commitsAreWrittenToTheFileAtOnce() throws SQLException {
    try (Connection c = rawConnection(); var s = c.createStatement();
         var rs = s.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).as("WRITE_DELAY, in ms").isEqualTo("0");
    }
  }

  @Test
  void closingMovesNoChunks() throws SQLException {
    // H2 2.3.232's close-time compaction moves chunks with code known to fail (see H2Files).
    try (Connection c = rawConnection(); var s = c.createStatement();
         var rs = s.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'MAX_COMPACT_TIME'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).as("MAX_COMPACT_TIME, in ms").isEqualTo("0");
    }
  }

  @Test
  void aDirectoryThatCannotBeCreatedIsReportedWithAFix() throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");

    assertThatThrownBy(() -> JdbcStore.h2File(file.resolve("data"))).isInstanceOf(StoreException.class)
        .hasMessageContaining("cannot create the data directory " + file.resolve("data"))
        .hasMessageContaining("choose another directory");
  }

  @Test
  void aDatabaseMigratedByANewerCorralIsRefused() throws SQLException {
    store.write(new Changes().meta("k", "v"));
    try (Connection c = rawConnection(); var s = c.createStatement()) {
      s.execute("INSERT INTO \"flyway_schema_history\" (\"installed_rank\", \"version\", \"description\", \"type\","
          + " \"script\", \"checksum\", \"installed_by\", \"execution_time\", \"success\")"
          + " VALUES (99, '99', 'from the future', 'SQL', 'V99__from_the_future.sql', 0, 'corral', 0, TRUE)");
    }
    store.close();
    store = null;

    assertThatThrownBy(() -> JdbcStore.h2File(dir)).isInstanceOf(StoreException.class)
        .hasMessageContaining("cannot be brought up to date")
        .hasMessageContaining("newer Corral");
  }

  @Test
  void aPathThatWouldBreakTheUrlIsRefused() {
    assertThatThrownBy(() -> JdbcStore.h2File(dir.resolve("a;b"))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("dataDir");
  }

  @Test
  void unsupportedUrlsAreRefusedWithoutThePassword() {
    assertThatThrownBy(() -> JdbcStore.open("jdbc:mysql://db/x?password=hunter22", "u", "hunter22"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("store.url")
        .hasMessageNotContaining("hunter22");
    assertThatThrownBy(() -> JdbcStore.open(" ", "u", "p")).isInstanceOf(InvalidInputException.class);
  }
}
