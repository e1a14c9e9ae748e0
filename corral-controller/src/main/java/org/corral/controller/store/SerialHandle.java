package org.corral.controller.store;

import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * One JDBC connection, used by one caller at a time. The controller writes from one thread and
 * the API reads now and then, so a single connection serves both, and it keeps the database's
 * prepared statements warm (opening a PostgreSQL connection costs milliseconds). A connection
 * found broken after a failure is dropped and a new one opened on the next call.
 */
final class SerialHandle implements AutoCloseable {
  private final ReentrantLock lock = new ReentrantLock();
  private final Jdbi jdbi;
  private @Nullable Handle handle;
  private boolean closed;

  SerialHandle(Jdbi jdbi, Handle first) {
    this.jdbi = jdbi;
    this.handle = first;
  }

  <T> T call(Function<Handle, T> work) {
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the store is closed; open it again with JdbcStore.open or JdbcStore.h2File");
      }
      if (handle == null) {
        handle = jdbi.open();
      }
      try {
        return work.apply(handle);
      } catch (RuntimeException e) {
        if (!isValid(handle)) {
          handle.close();
          handle = null;
        }
        throw e;
      }
    } finally {
      lock.unlock();
    }
  }

  private static boolean isValid(Handle h) {
    try {
      return h.getConnection().isValid(2);
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      if (handle != null) {
        handle.close();
        handle = null;
      }
    } finally {
      lock.unlock();
    }
  }
}
