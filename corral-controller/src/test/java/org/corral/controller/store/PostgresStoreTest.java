package org.corral.controller.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.corral.model.journal.JournalEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The store contract for {@link JdbcStore} on a real PostgreSQL. Each test gets a schema of its
 * own, dropped afterwards, so runs never see each other's rows.
 *
 * <p>Enable with {@code eval "$(.ci/start-postgres)"}, which sets CORRAL_TEST_PG_URL,
 * CORRAL_TEST_PG_USER and CORRAL_TEST_PG_PASSWORD. Without them the class is skipped, except
 * under CI=true, where it fails: CI must really test PostgreSQL.
 */
class PostgresStoreTest extends JdbcStoreContract {
  private TestPostgres pg;
  private String schema;

  @Override
  protected Store openStore() {
    // Called before each test (not in @BeforeAll, so that every skipped test is reported with the reason).
    pg = TestPostgres.require("the PostgreSQL store tests");
    schema = pg.createSchema("corral_t");
    return JdbcStore.open(schemaUrl(), pg.user(), pg.password());
  }

  private String schemaUrl() {
    // The application name lets a test find the store's own server session.
    return pg.schemaUrl(schema) + "&ApplicationName=" + schema;
  }

  @Override
  protected Store reopen(Store store) {
    store.close();
    return JdbcStore.open(schemaUrl(), pg.user(), pg.password());
  }

  @Override
  protected Connection rawConnection() throws SQLException {
    return DriverManager.getConnection(schemaUrl(), pg.user(), pg.password());
  }

  @AfterEach
  void dropSchema() {
    if (schema != null) {
      pg.dropSchema(schema);
    }
  }

  @Test
  void aLostConnectionFailsOneCallAndTheNextReconnects() throws SQLException {
    store.write(new Changes().append(Samples.entry("web-1", "before")));
    try (Connection c = pg.connect(); Statement s = c.createStatement()) {
      s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '" + schema + "'");
    }

    assertThatThrownBy(() -> store.write(new Changes().append(Samples.entry("web-1", "lost"))))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("the next call reconnects");

    assertThat(store.write(new Changes().append(Samples.entry("web-1", "after")))).extracting(JournalEntry::seq)
        .containsExactly(2L);
    assertThat(store.journal(0, 10, null)).extracting(JournalEntry::message).containsExactly("before", "after");
  }

  @Test
  void aWrongPasswordIsReportedWithAFixAndWithoutThePassword() {
    String wrong = "not-the-password-4711";
    assertThatThrownBy(() -> JdbcStore.open(pg.url(), pg.user(), wrong))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("refused user '" + pg.user() + "'")
        .hasMessageContaining("check the store's user and password")
        .satisfies(e -> assertThat(fullTrace(e)).doesNotContain(wrong));
  }

  @Test
  void aPasswordInTheUrlIsMaskedToo() {
    String wrong = "in-url-secret-4711";
    assertThatThrownBy(() -> JdbcStore.open(pg.url() + (pg.url().contains("?") ? "&" : "?") + "password=" + wrong, pg.user(), null))
        .isInstanceOf(StoreException.class)
        .satisfies(e -> assertThat(fullTrace(e)).doesNotContain(wrong).contains("password=***"));
  }

  @Test
  void anUnreachableServerIsReportedWithAFix() throws Exception {
    int freePort;
    try (ServerSocket probe = new ServerSocket(0)) {
      freePort = probe.getLocalPort();
    }
    assertThatThrownBy(() -> JdbcStore.open("jdbc:postgresql://127.0.0.1:" + freePort + "/corral", pg.user(), "secret-4711"))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("no database answers there")
        .hasMessageContaining("check that the database server is running")
        .satisfies(e -> assertThat(fullTrace(e)).doesNotContain("secret-4711"));
  }

  @Test
  void aMissingDatabaseIsReportedWithAFix() {
    String missing = pg.url().replaceFirst("/[^/?]+(\\?|$)", "/corral_no_such_db$1");
    assertThatThrownBy(() -> JdbcStore.open(missing, pg.user(), pg.password()))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("the database does not exist")
        .hasMessageContaining("correct the database name");
  }

  private static String fullTrace(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }
}
