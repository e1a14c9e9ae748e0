package org.corral.controller.store;

import java.sql.SQLException;
import org.flywaydb.core.api.FlywayException;
import org.jspecify.annotations.Nullable;

/**
 * Turns the exception a driver throws while the store opens into a {@link StoreException} that
 * says what is wrong and how to fix it, without the password. SQLState classes are standard;
 * H2's own error codes cover its file problems.
 */
final class OpenFailure {
  // H2 error codes (org.h2.api.ErrorCode), named here so that the driver is not a compile-time need.
  private static final int H2_DATABASE_ALREADY_OPEN = 90020;
  private static final int H2_IO_EXCEPTION_1 = 90028;
  private static final int H2_IO_EXCEPTION_2 = 90031;
  private static final int H2_FILE_CREATION_FAILED = 90062;
  private static final int H2_FILE_CORRUPTED = 90030;
  private static final int H2_WRONG_USER_OR_PASSWORD = 28000;

  private OpenFailure() {}

  static StoreException of(Throwable failure, @Nullable String user, Redaction redaction) {
    SQLException sql = sqlCause(failure);
    String detail = redaction.scrub(sql != null ? sql.getMessage() : failure.getMessage());
    String state = sql == null || sql.getSQLState() == null ? "" : sql.getSQLState();
    int code = sql == null ? 0 : sql.getErrorCode();
    String fix;
    String what;
    if (sql == null && failure instanceof FlywayException) {
      what = "its tables cannot be brought up to date";
      fix = "if a newer Corral has used this database, run that version (going back is not supported);"
          + " otherwise restore the database from a backup";
    } else if (code == H2_DATABASE_ALREADY_OPEN) {
      what = "it is in use by another process";
      fix = "stop the other Corral controller using it, or give this one its own data directory";
    } else if (code == H2_IO_EXCEPTION_1 || code == H2_IO_EXCEPTION_2 || code == H2_FILE_CREATION_FAILED) {
      what = "its files cannot be written";
      fix = "give the data directory to the user running Corral, and check that the disk is not full or read-only";
    } else if (code == H2_FILE_CORRUPTED) {
      what = "its files are damaged";
      fix = "restore the data directory from a backup";
    } else if (state.startsWith("28") || code == H2_WRONG_USER_OR_PASSWORD) {
      what = "the database refused user '" + user + "'";
      fix = "check the store's user and password (for PostgreSQL: the role exists, can log in, its password matches"
          + " and pg_hba.conf lets it connect); the password is not shown here";
    } else if (state.equals("3D000")) {
      what = "the database does not exist";
      fix = "create it (e.g. createdb -O " + user + " NAME) or correct the database name in the URL";
    } else if (state.equals("3F000")) {
      what = "the schema does not exist";
      fix = "create the schema or correct currentSchema in the URL";
    } else if (state.equals("42501")) {
      what = "user '" + user + "' may not create the store's tables";
      fix = "grant the user CREATE on the database's schema, or let its owner run Corral once";
    } else if (state.startsWith("08")) {
      what = "no database answers there";
      fix = "check that the database server is running and that the host and port in the URL are right";
    } else {
      what = "the database failed";
      fix = "check the JDBC URL, the user and the password";
    }
    return new StoreException("cannot open the store at " + redaction.url() + ": " + what + " (" + detail + "); " + fix,
        redaction.safeCause(failure));
  }

  private static @Nullable SQLException sqlCause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SQLException s) {
        return s;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }
}
