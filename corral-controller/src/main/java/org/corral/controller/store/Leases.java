package org.corral.controller.store;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import org.jspecify.annotations.Nullable;

/**
 * The leader lease of controllers that share one PostgreSQL database (controller HA), and the
 * register of those controllers. Every time is the database's clock, so controllers whose own
 * clocks disagree still agree on when a lease has expired. A lease is taken only once expired
 * (or released), each time with the next epoch: the fencing token every write of the leader
 * carries ({@link JdbcStore#fence}).
 *
 * <p>Its own connection, apart from the store's writes, so that a long write never delays a
 * renewal. Statements wait at most a second for a row lock: a renewal that cannot get one fails
 * (and the lease runs out) rather than hang.
 */
public final class Leases implements LeaseTable {
  /** The database's clock, in milliseconds since 1970. */
  private static final String NOW = "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";

  /** The lease as the database has it; {@code remainingMillis} is negative once it has expired. */
  public record Lease(@Nullable String holder, @Nullable String address, long epoch, long remainingMillis,
      long sinceChangeMillis, @Nullable String reason) {
    public boolean held() {
      return holder != null && remainingMillis > 0;
    }
  }

  /** A controller of the register: its API address, its role, and how long ago it was last seen. */
  public record Seen(String name, String address, String role, long agoMillis) {}

  private final SerialHandle db;
  private final String where;

  Leases(SerialHandle db, String where) {
    this.db = db;
    this.where = where;
    call("prepare the lease session of", h -> h.execute("SET lock_timeout = '1s'"));
  }

  /**
   * Takes the lease for {@code me} when it is free or expired, with the next epoch.
   *
   * @return the new epoch, or empty when another controller holds the lease
   */
  @Override
  public Optional<Long> tryAcquire(String me, String address, Duration lease, String reason) {
    return call("take the lease in", h -> h.inTransaction(tx -> {
      int n = tx.createUpdate("UPDATE controller_lease SET holder = :me, address = :address, epoch = epoch + 1,"
              + " expires_at = " + NOW + " + :lease, changed_at = " + NOW + ", reason = :reason"
              + " WHERE id = 1 AND (holder IS NULL OR expires_at < " + NOW + ")")
          .bind("me", me).bind("address", address).bind("lease", lease.toMillis()).bind("reason", reason).execute();
      if (n == 0) {
        return Optional.<Long>empty();
      }
      return Optional.of(tx.createQuery("SELECT epoch FROM controller_lease WHERE id = 1").mapTo(Long.class).one());
    }));
  }

  /** Extends {@code me}'s lease of {@code epoch}; false when it is no longer {@code me}'s. */
  @Override
  public boolean renew(String me, long epoch, Duration lease) {
    return call("renew the lease in", h -> h.createUpdate("UPDATE controller_lease SET expires_at = " + NOW + " + :lease"
            + " WHERE id = 1 AND holder = :me AND epoch = :epoch")
        .bind("me", me).bind("epoch", epoch).bind("lease", lease.toMillis()).execute() == 1);
  }

  /** Gives the lease up at once (a clean stop), so that another controller need not wait for it to expire. */
  @Override
  public void release(String me, long epoch, String reason) {
    call("release the lease in", h -> h.createUpdate("UPDATE controller_lease SET holder = NULL, expires_at = 0,"
            + " changed_at = " + NOW + ", reason = :reason WHERE id = 1 AND holder = :me AND epoch = :epoch")
        .bind("me", me).bind("epoch", epoch).bind("reason", reason).execute());
  }

  @Override
  public Lease current() {
    return call("read the lease in", h -> h.createQuery("SELECT holder, address, epoch, expires_at - " + NOW + " AS remaining,"
            + " " + NOW + " - changed_at AS since, reason FROM controller_lease WHERE id = 1")
        .map((rs, ctx) -> new Lease(rs.getString("holder"), rs.getString("address"), rs.getLong("epoch"),
            rs.getLong("remaining"), rs.getLong("since"), rs.getString("reason")))
        .one());
  }

  /** Records that {@code name} is alive, at {@code address}, in {@code role} (leader or follower). */
  @Override
  public void heartbeat(String name, String address, String role) {
    call("register a controller in", h -> h.inTransaction(tx -> {
      int n = tx.createUpdate("UPDATE controllers SET address = :address, role = :role, seen_at = " + NOW + " WHERE name = :name")
          .bind("name", name).bind("address", address).bind("role", role).execute();
      if (n == 0) {
        tx.createUpdate("INSERT INTO controllers (name, address, role, seen_at) VALUES (:name, :address, :role, " + NOW + ")")
            .bind("name", name).bind("address", address).bind("role", role).execute();
      }
      return n;
    }));
  }

  /** Every controller of the register, by name. */
  @Override
  public List<Seen> controllers() {
    return call("read the controllers in", h -> h.createQuery("SELECT name, address, role, " + NOW + " - seen_at AS ago"
            + " FROM controllers ORDER BY name")
        .map((rs, ctx) -> new Seen(rs.getString("name"), rs.getString("address"), rs.getString("role"), rs.getLong("ago")))
        .list());
  }

  @Override
  public void close() {
    db.close();
  }

  private <T> T call(String doing, Function<Handle, T> work) {
    try {
      return db.call(work);
    } catch (JdbiException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new StoreException("cannot " + doing + " the store at " + where + " (" + cause.getMessage() + ")", e);
    }
  }
}
