package org.corral.controller.store;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The leader lease of controllers sharing one store, and their register: {@link Leases} on
 * PostgreSQL, {@link InMemoryStore#leases} in memory (the same rules on a clock of the caller's,
 * for deterministic tests of controller HA on virtual time). Every time is the table's own clock
 * (the database's), never a controller's. A lease is taken only once expired or released, each
 * time with the next epoch: the fencing token every write of the leader carries.
 */
public interface LeaseTable extends AutoCloseable {
  /**
   * Takes the lease for {@code me} when it is free or expired, with the next epoch.
   *
   * @return the new epoch, or empty when another controller holds the lease
   */
  Optional<Long> tryAcquire(String me, String address, Duration lease, String reason);

  /** Extends {@code me}'s lease of {@code epoch}; false when it is no longer {@code me}'s. */
  boolean renew(String me, long epoch, Duration lease);

  /** Gives the lease up at once (a clean stop), so that another controller need not wait for it to expire. */
  void release(String me, long epoch, String reason);

  Leases.Lease current();

  /** Records that {@code name} is alive, at {@code address}, in {@code role} (leader or follower). */
  void heartbeat(String name, String address, String role);

  /** Every controller of the register, by name. */
  List<Leases.Seen> controllers();

  @Override
  void close();
}
