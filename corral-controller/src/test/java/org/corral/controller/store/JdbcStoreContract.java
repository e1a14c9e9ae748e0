package org.corral.controller.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.corral.model.journal.JournalEntry;
import org.junit.jupiter.api.Test;

/**
 * What the JDBC store must do beyond the contract: a batch that the database itself rejects
 * half-way is rolled back whole, and the store carries on.
 */
abstract class JdbcStoreContract extends StoreContract {
  /** A plain connection to the same database and schema as {@link #store}. */
  protected abstract Connection rawConnection() throws SQLException;

  private void execute(String sql) throws SQLException {
    try (Connection c = rawConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @Test
  void aBatchTheDatabaseRejectsHalfWayIsRolledBackWhole() throws SQLException {
    store.write(new Changes().put(Samples.fullHost("node-1")).append(Samples.entry("web-1", "first")));
    StoredState before = store.load();
    // A constraint the store knows nothing of: the fourth change of the batch fails in the database.
    execute("ALTER TABLE journal ADD CONSTRAINT no_boom CHECK (message <> 'boom')");
    Changes batch = new Changes().put(Samples.fullVm("web-1")).add(new Changes.Change.DeleteHost("node-1"))
        .append(Samples.entry("web-1", "fine")).append(Samples.entry("web-1", "boom")).meta("after", "boom");

    assertThatThrownBy(() -> store.write(batch)).isInstanceOf(StoreException.class)
        .hasMessageContaining("nothing of the batch was applied");

    assertThat(store.load()).isEqualTo(before);
    assertThat(store.lastSeq()).isEqualTo(1);
    assertThat(store.journal(0, 10, null)).extracting(JournalEntry::message).containsExactly("first");
    execute("ALTER TABLE journal DROP CONSTRAINT no_boom");
    assertThat(store.write(batch)).extracting(JournalEntry::seq).containsExactly(2L, 3L);
    assertThat(store.load().vms()).containsExactly(Samples.fullVm("web-1"));
  }

  @Test
  void plainColumnsMirrorTheRecordsForQueriesByHand() throws SQLException {
    store.write(new Changes().put(Samples.fullVm("web-1")).put(Samples.fullHost("node-1")).put(Samples.fullNetwork("lan"))
        .put(Samples.fullNetwork("lan")));
    try (Connection c = rawConnection(); Statement s = c.createStatement();
         var rs = s.executeQuery("SELECT v.state, v.host, v.version, h.state, n.version FROM vms v, hosts h, networks n")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("MIGRATING");
      assertThat(rs.getString(2)).isEqualTo("node-1");
      assertThat(rs.getLong(3)).isEqualTo(12);
      assertThat(rs.getString(4)).isEqualTo("UP");
      assertThat(rs.getLong(5)).as("a network put twice has version 2").isEqualTo(2);
    }
  }
}
