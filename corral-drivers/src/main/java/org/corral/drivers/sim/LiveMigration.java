package org.corral.drivers.sim;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.corral.drivers.DriverException;
import org.corral.drivers.DriverException.Kind;
import org.corral.drivers.hypervisor.DomainEvent;
import org.corral.drivers.hypervisor.HypervisorConnection;
import org.corral.drivers.hypervisor.MigrationOptions;
import org.corral.drivers.hypervisor.MigrationProgress;
import org.corral.model.time.Seeds;
import org.jspecify.annotations.Nullable;

/**
 * A simulated live migration. It holds the domain's memory on the destination from the start,
 * takes {@link SimLatencies#migration} (the copy limited by the option's bandwidth), reports
 * progress at the start, at each quarter and at the end, and ends in one of four ways: success
 * (the domain runs on the destination with the same workload clock and is gone from the source),
 * an injected failure (TRANSIENT, part-way), the option's timeout (TIMEOUT), or a fault on either
 * host (UNREACHABLE). Every way but success leaves the domain running on the source.
 */
final class LiveMigration {
  private static final long MIB = 1024L * 1024L;

  private LiveMigration() {}

  static CompletionStage<Void> begin(SimHypervisorConnection src, String name, HypervisorConnection destination,
      MigrationOptions options, Consumer<MigrationProgress> progress) {
    SimDataCenter dc = src.dc;
    return dc.call(() -> {
      src.check();
      Destination dst = Destination.of(dc, destination);
      SimHost from = src.host;
      SimHost to = dst.host();
      if (from == to) {
        throw SimHypervisorConnection.rejected("'" + name + "' is already on " + to.name() + "; pick another destination");
      }
      SimDomain d = from.domains.get(name);
      if (d == null) {
        SimDomain there = to.domains.get(name);
        if (dst.alive() && there != null && there.phase == DomainPhase.RUNNING) {
          return CompletableFuture.completedFuture(null); // done before (an action re-run after a restart)
        }
        throw new DriverException(Kind.NOT_FOUND, "no domain '" + name + "' on " + from.name());
      }
      dst.check(dc);
      if (d.op != null && d.op.destination == to) {
        return d.op.stage.copy();
      }
      if (d.op != null) {
        throw SimHypervisorConnection.busy(d);
      }
      if (d.phase != DomainPhase.RUNNING) {
        throw SimHypervisorConnection.rejected("only a running domain can be live-migrated; '" + name + "' is "
            + d.phase.shown());
      }
      SimDomain clash = to.domains.get(name);
      if (clash != null && (!clash.spec.uuid().equals(d.spec.uuid()) || !clash.phase.stopped())) {
        throw SimHypervisorConnection.rejected(to.name() + " already has a domain named '" + name
            + "' (" + clash.phase.shown() + ", UUID " + clash.spec.uuid() + ")");
      }
      if (to.storageCut) {
        throw SimHypervisorConnection.rejected(to.name() + " cannot receive '" + name + "': its disk's storage lease cannot be"
            + " acquired there (the host is cut from the shared storage)");
      }
      long mib = d.live.memoryMib();
      long free = to.freeMib();
      if (mib > free) {
        throw SimHypervisorConnection.rejected("not enough memory on " + to.name() + " to receive '" + name
            + "': needs " + mib + " MiB, " + free + " MiB free");
      }
      return start(dc, from, to, d, options, progress);
    });
  }

  private static CompletionStage<Void> start(SimDataCenter dc, SimHost from, SimHost to, SimDomain d,
      MigrationOptions options, Consumer<MigrationProgress> progress) {
    String name = d.name();
    long mib = d.live.memoryMib();
    long total = mib * MIB;
    to.incomingMib += mib;
    PendingOp op = dc.begin("migration of " + name + " to " + to.name(), List.of(from, to));
    op.destination = to;
    d.op = op;
    op.onAbort = () -> {
      to.incomingMib -= mib;
      if (d.op == op) {
        d.op = null;
      }
    };
    Duration duration = dc.latencies().migration(mib, options.bandwidthMibPerSec());
    Duration timeout = options.timeout() == null ? duration : options.timeout();
    Duration failAt = injectedFailure(dc, name, duration);
    dc.after(() -> progress.accept(new MigrationProgress(0, total)));
    for (int quarter = 1; quarter <= 3 && !duration.isZero(); quarter++) {
      long done = total * quarter / 4;
      Duration at = duration.multipliedBy(quarter).dividedBy(4);
      if (at.compareTo(timeout) < 0 && (failAt == null || at.compareTo(failAt) < 0)) {
        op.timers.add(dc.clock().schedule(at, () -> dc.mutate(() -> {
          if (!op.finished) {
            dc.after(() -> progress.accept(new MigrationProgress(done, total)));
          }
          return null;
        })));
      }
    }
    if (failAt != null && failAt.compareTo(timeout) <= 0) {
      op.timers.add(dc.later(failAt, () -> dc.abort(op, new DriverException(Kind.TRANSIENT,
          "migration of '" + name + "' to " + to.name() + " failed after " + failAt + " (injected); it still runs on "
              + from.name()))));
    } else if (timeout.compareTo(duration) < 0) {
      op.timers.add(dc.later(timeout, () -> dc.abort(op, new DriverException(Kind.TIMEOUT,
          "migration of '" + name + "' to " + to.name() + " did not finish within " + timeout + "; aborted, it still runs on "
              + from.name()))));
    } else {
      op.timers.add(dc.later(duration, () -> finish(dc, from, to, d, op, total, progress)));
    }
    return op.stage.copy();
  }

  /**
   * The destination host and its connection. A connection of this data centre is used as it is;
   * any other (say, one the controller wrapped) is resolved by its URI, and is then taken to be
   * alive when its host answers.
   */
  private record Destination(SimHost host, @Nullable SimHypervisorConnection connection) {
    static Destination of(SimDataCenter dc, HypervisorConnection c) {
      if (c instanceof SimHypervisorConnection sim && sim.dc == dc) {
        return new Destination(sim.host, sim);
      }
      if (c == null) {
        throw SimHypervisorConnection.rejected("the destination connection is missing");
      }
      SimUri uri = SimUri.parse(c.uri());
      try {
        return new Destination(dc.hostFor(uri), null);
      } catch (DriverException e) {
        throw SimHypervisorConnection.rejected("the destination " + c.uri() + " is not a host of simulated data centre "
            + dc.name() + ": " + e.getMessage());
      }
    }

    boolean alive() {
      return connection != null ? connection.alive() : host.answering();
    }

    void check(SimDataCenter dc) {
      if (connection != null) {
        connection.check();
      } else if (!host.answering()) {
        throw dc.unreachable(host, SimHypervisorDriver.whyNotAnswering(host));
      }
    }
  }

  /** Where the next migration of {@code name} fails, or null if it should not. */
  private static @Nullable Duration injectedFailure(SimDataCenter dc, String name, Duration duration) {
    long n = dc.migrationsBegun++;
    int left = dc.failMigrations.getOrDefault(name, 0);
    if (left <= 0) {
      return null;
    }
    if (left == 1) {
      dc.failMigrations.remove(name);
    } else {
      dc.failMigrations.put(name, left - 1);
    }
    double share = Seeds.random(Seeds.derive(dc.seed(), "migration-failure", n)).nextDouble(0.2, 0.8);
    return Duration.ofNanos(Math.round(duration.toNanos() * share));
  }

  private static void finish(SimDataCenter dc, SimHost from, SimHost to, SimDomain d, PendingOp op, long total,
      Consumer<MigrationProgress> progress) {
    if (op.finished) {
      return;
    }
    if (to.storageCut) { // the destination cannot take over the disk's lease: the domain stays on its source
      dc.abort(op, new DriverException(Kind.REJECTED, "migration of '" + d.name() + "' to " + to.name()
          + " failed: its disk's storage lease cannot be acquired there (cut from the shared storage); it still runs on " + from.name()));
      return;
    }
    dc.accrue(from);
    dc.accrue(to);
    to.incomingMib -= d.live.memoryMib();
    from.domains.remove(d.name());
    SimDomain moved = new SimDomain(d.spec);
    moved.live = d.live;
    moved.phase = DomainPhase.RUNNING;
    moved.origin = d.origin; // the guest did not restart: its workload goes on
    to.domains.put(d.name(), moved);
    d.op = null;
    dc.emit(from, d.name(), DomainEvent.Kind.MIGRATED);
    dc.emit(to, d.name(), DomainEvent.Kind.MIGRATED);
    dc.after(() -> progress.accept(new MigrationProgress(total, total)));
    dc.succeed(op);
  }
}
