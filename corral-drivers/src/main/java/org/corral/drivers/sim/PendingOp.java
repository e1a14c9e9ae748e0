package org.corral.drivers.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.corral.model.time.Clock;
import org.jspecify.annotations.Nullable;

/**
 * An operation that takes simulated time: its caller's stage, the clock timers that will finish
 * it, and what to undo if a fault aborts it first. Guarded by the data centre's lock.
 */
final class PendingOp {
  final String what;
  final CompletableFuture<Void> stage = new CompletableFuture<>();
  final List<SimHost> hosts;
  final List<Clock.Timer> timers = new ArrayList<>();
  /** Undoes reservations; runs once when the operation is aborted. */
  Runnable onAbort = () -> { };
  boolean finished;
  /** Power operations go through the BMC: a network partition does not touch them. */
  boolean viaBmc;
  /** For a migration, where the domain is going. */
  @Nullable SimHost destination;

  PendingOp(String what, List<SimHost> hosts) {
    this.what = what;
    this.hosts = List.copyOf(hosts);
  }

  boolean involves(SimHost h) {
    return hosts.contains(h);
  }

  void cancelTimers() {
    timers.forEach(Clock.Timer::cancel);
    timers.clear();
  }
}
