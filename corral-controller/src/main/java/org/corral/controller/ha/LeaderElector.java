package org.corral.controller.ha;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.corral.controller.store.LeaseTable;
import org.corral.controller.store.Leases;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One controller's side of the leader election: every {@code renewEvery} it renews its lease
 * (when it leads) or tries to take the lease (when it follows), and says when it was elected or
 * deposed. Call {@link #tick} from one thread (a timer of its own, never the controller's loop,
 * which a long task could stall).
 *
 * <p>A leader that cannot renew stops acting before the others can take over: it measures the
 * lease with its own monotonic clock from the moment it <em>asked</em> for the last successful
 * renewal (the database's expiry was set after that moment, so it can only be later), and gives up
 * {@code margin} before that: {@code lease - margin} after the ask. A leader paused longer than
 * that (GC, SIGSTOP) may still act once when it wakes, before its next tick: its writes then carry
 * a stale epoch and the store refuses them (the fence).
 */
public final class LeaderElector {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderElector.class);

  /** What the controller does when it is elected or deposed (called on the elector's thread). */
  public interface Listener {
    void elected(long epoch);

    void deposed(long epoch, String reason);
  }

  private final LeaseTable leases;
  private final String me;
  private final String address;
  private final Duration lease;
  private final Duration margin;
  private final Listener listener;
  private final LongSupplier nanoTime;
  private volatile long epoch = -1;
  /** Monotonic time until which this controller may act as leader. */
  private long validUntil;

  /**
   * @param lease  how long a lease lasts without renewal (default 3 s)
   * @param margin how long before its lease runs out, by its own clock, a leader stops acting
   *               (at least one renewal period, so that a late tick cannot outlive the lease)
   */
  public LeaderElector(LeaseTable leases, String me, String address, Duration lease, Duration margin, Listener listener,
      LongSupplier nanoTime) {
    if (!margin.isPositive() || margin.compareTo(lease) >= 0) {
      throw new IllegalArgumentException("margin must be positive and shorter than the lease, got " + margin + " of " + lease);
    }
    this.leases = leases;
    this.me = me;
    this.address = address;
    this.lease = lease;
    this.margin = margin;
    this.listener = listener;
    this.nanoTime = nanoTime;
  }

  /** The epoch this controller leads with, or -1 when it follows. */
  public long epoch() {
    return epoch;
  }

  public boolean leads() {
    return epoch >= 0;
  }

  /** One round: renew or take the lease, register this controller, and tell the listener of a change. */
  public synchronized void tick() {
    long asked = nanoTime.getAsLong();
    long e = epoch;
    if (e >= 0) {
      boolean renewed = attempt(() -> leases.renew(me, e, lease));
      if (renewed) {
        validUntil = asked + lease.minus(margin).toNanos();
      } else {
        String lost = lost(e);
        if (lost != null) {
          depose(e, lost);
          return;
        }
      }
    } else {
      @Nullable Long won = attemptAcquire();
      if (won != null) {
        epoch = won;
        validUntil = asked + lease.minus(margin).toNanos();
        LOG.info("controller {} leads with epoch {}", me, won);
        listener.elected(won);
      }
    }
    attempt(() -> {
      leases.heartbeat(me, address, leads() ? "leader" : "follower");
      return true;
    });
  }

  /** Gives the lease up (a clean stop): the others need not wait for it to expire. */
  public synchronized void resign(String reason) {
    long e = epoch;
    if (e >= 0) {
      attempt(() -> {
        leases.release(me, e, reason);
        return true;
      });
      depose(e, reason);
    }
  }

  /**
   * After a renewal that did not succeed: why the lease is lost, or null while it may still be
   * this controller's (a database error) and its own clock says the lease has not run out.
   */
  private @Nullable String lost(long e) {
    if (nanoTime.getAsLong() - validUntil >= 0) {
      return "the lease could not be renewed for " + lease.minus(margin).toMillis() + " ms; stopping before it can run out on"
          + " the other controllers";
    }
    try {
      Leases.Lease l = leases.current();
      if (me.equals(l.holder()) && l.epoch() == e) {
        return null;
      }
      return l.holder() == null ? "the lease was released or ran out" : "controller " + l.holder() + " took the lease with epoch " + l.epoch();
    } catch (RuntimeException ex) {
      return null; // the database does not answer: act until the lease may run out, then stop
    }
  }

  private void depose(long e, String reason) {
    epoch = -1;
    LOG.warn("controller {} no longer leads (epoch {}): {}", me, e, reason);
    listener.deposed(e, reason);
  }

  private @Nullable Long attemptAcquire() {
    try {
      return leases.tryAcquire(me, address, lease, "taken by " + me).orElse(null);
    } catch (RuntimeException ex) {
      LOG.debug("controller {} could not try the lease: {}", me, ex.getMessage());
      return null;
    }
  }

  private boolean attempt(java.util.function.BooleanSupplier call) {
    try {
      return call.getAsBoolean();
    } catch (RuntimeException ex) {
      LOG.debug("controller {}: {}", me, ex.getMessage());
      return false;
    }
  }
}
