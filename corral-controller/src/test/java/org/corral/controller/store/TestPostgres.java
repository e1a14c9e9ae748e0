package org.corral.controller.store;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL the tests use, from CORRAL_TEST_PG_URL, _USER and _PASSWORD (set by
 * {@code eval "$(.ci/start-postgres)"}), and schemas of their own in it. Without the URL a test
 * is skipped with the reason, except under CI=true, where it fails: CI must really test
 * PostgreSQL. One place for what every PostgreSQL test (store, leases, controller HA) and
 * bench/failover need.
 */
public record TestPostgres(String url, String user, String password) {
  static final String HOW = "run `eval \"$(.ci/start-postgres)\"` first, which starts PostgreSQL and sets CORRAL_TEST_PG_URL,"
      + " CORRAL_TEST_PG_USER and CORRAL_TEST_PG_PASSWORD";
  private static final AtomicInteger SCHEMAS = new AtomicInteger();

  /** The database, or the test is skipped (failed under CI=true) saying that {@code what} needs it. */
  public static TestPostgres require(String what) {
    TestPostgres pg = fromEnv();
    if (pg == null) {
      if ("true".equals(System.getenv("CI"))) {
        fail("CI=true but CORRAL_TEST_PG_URL is unset, so " + what + " would go untested: " + HOW);
      }
      Assumptions.abort(what + " skipped: CORRAL_TEST_PG_URL is unset; " + HOW);
    }
    return pg;
  }

  /** The database from the environment, or null when CORRAL_TEST_PG_URL is unset (benchmarks). */
  public static @org.jspecify.annotations.Nullable TestPostgres fromEnv() {
    String url = System.getenv("CORRAL_TEST_PG_URL");
    if (url == null || url.isBlank()) {
      return null;
    }
    return new TestPostgres(url, System.getenv("CORRAL_TEST_PG_USER"), System.getenv("CORRAL_TEST_PG_PASSWORD"));
  }

  /** A fresh schema named {@code prefix}_pid_n (unique among concurrent runs on one server). */
  public String createSchema(String prefix) {
    String schema = prefix + "_" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet() + "_" + System.nanoTime() % 100_000;
    sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE", "CREATE SCHEMA " + schema);
    return schema;
  }

  public void dropSchema(String schema) {
    sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  }

  /** The URL of {@code schema} in this database. */
  public String schemaUrl(String schema) {
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(url, user, password);
  }

  private void sql(String... statements) {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      for (String st : statements) {
        s.execute(st);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL at " + url + ": " + String.join("; ", statements) + " failed: " + e.getMessage(), e);
    }
  }
}
