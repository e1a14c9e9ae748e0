package org.corral.controller.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.corral.model.journal.JournalEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
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
  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static String url;
  private static String user;
  private static String password;
  private String schema;

  /** Called before each test (not in @BeforeAll, so that every skipped test is reported with the reason). */
  private static void requirePostgres() {
    url = System.getenv("CORRAL_TEST_PG_URL");
    user = System.getenv("CORRAL_TEST_PG_USER");
    password = System.getenv("CORRAL_TEST_PG_PASSWORD");
    String how = "run `eval \"$(.ci/start-postgres)\"` first, which starts PostgreSQL and sets CORRAL_TEST_PG_URL,"
        + " CORRAL_TEST_PG_USER and CORRAL_TEST_PG_PASSWORD";
    if (url == null || url.isBlank()) {
      if ("true".equals(System.getenv("CI"))) {
        fail("CI=true but CORRAL_TEST_PG_URL is unset, so the PostgreSQL store would go untested: " + how);
      }
      Assumptions.abort("PostgreSQL store tests skipped: CORRAL_TEST_PG_URL is unset; " + how);
    }
  }

  @Override
  protected Store openStore() {
    requirePostgres();
    // pid + counter: unique among concurrent runs on one server without a random generator.
    schema = "corral_t_" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
    try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test schema " + schema + ": " + e.getMessage(), e);
    }
    return JdbcStore.open(schemaUrl(), user, password);
  }

  private String schemaUrl() {
    // The application name lets a test find the store's own server session.
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema + "&ApplicationName=" + schema;
  }

  @Override
  protected Store reopen(Store store) {
    store.close();
    return JdbcStore.open(schemaUrl(), user, password);
  }

  @Override
  protected Connection rawConnection() throws SQLException {
    return DriverManager.getConnection(schemaUrl(), user, password);
  }

  @AfterEach
  void dropSchema() throws SQLException {
    if (schema != null) {
      try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }

  @Test
  void aLostConnectionFailsOneCallAndTheNextReconnects() throws SQLException {
    store.write(new Changes().append(Samples.entry("web-1", "before")));
    try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
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
    assertThatThrownBy(() -> JdbcStore.open(url, user, wrong))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("refused user '" + user + "'")
        .hasMessageContaining("check the store's user and password")
        .satisfies(e -> assertThat(fullTrace(e)).doesNotContain(wrong));
  }

  @Test
  void aPasswordInTheUrlIsMaskedToo() {
    String wrong = "in-url-secret-4711";
    assertThatThrownBy(() -> JdbcStore.open(url + (url.contains("?") ? "&" : "?") + "password=" + wrong, user, null))
        .isInstanceOf(StoreException.class)
        .satisfies(e -> assertThat(fullTrace(e)).doesNotContain(wrong).contains("password=***"));
  }

  @Test
  void anUnreachableServerIsReportedWithAFix() throws Exception {
    int freePort;
    try (ServerSocket probe = new ServerSocket(0)) {
      freePort = probe.getLocalPort();
    }
    assertThatThrownBy(() -> JdbcStore.open("jdbc:postgresql://127.0.0.1:" + freePort + "/corral", user, "secret-4711"))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("no database answers there")
        .hasMessageContaining("check that the database server is running")
        .satisfies(e -> assertThat(fullTrace(e)).doesNotContain("secret-4711"));
  }

  @Test
  void aMissingDatabaseIsReportedWithAFix() {
    String missing = url.replaceFirst("/[^/?]+(\\?|$)", "/corral_no_such_db$1");
    assertThatThrownBy(() -> JdbcStore.open(missing, user, password))
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
