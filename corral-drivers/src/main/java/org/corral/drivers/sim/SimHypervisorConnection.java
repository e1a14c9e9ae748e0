package org.corral.drivers.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.corral.drivers.DriverException;
import org.corral.drivers.DriverException.Kind;
import org.corral.drivers.hypervisor.DomainEvent;
import org.corral.drivers.hypervisor.DomainSpec;
import org.corral.drivers.hypervisor.DomainStatus;
import org.corral.drivers.hypervisor.HostFacts;
import org.corral.drivers.hypervisor.HostStats;
import org.corral.drivers.hypervisor.HypervisorConnection;
import org.corral.drivers.hypervisor.MigrationOptions;
import org.corral.drivers.hypervisor.MigrationProgress;

/**
 * A connection to one simulated host's hypervisor. Observing calls and define, destroy and
 * undefine are instantaneous; start, shutdown, reboot and migration complete on the clock. Once
 * the host stops answering the connection is dead for good (like libvirt after its keepalive
 * fails): every call fails UNREACHABLE and the caller reconnects.
 */
final class SimHypervisorConnection implements HypervisorConnection {
  private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

  final SimDataCenter dc;
  final SimHost host;
  private final long epoch;
  private final List<Consumer<DomainEvent>> listeners = new CopyOnWriteArrayList<>();
  private boolean closed;
  private boolean lost;

  SimHypervisorConnection(SimDataCenter dc, SimHost host) {
    this.dc = dc;
    this.host = host;
    this.epoch = host.epoch;
  }

  @Override
  public String uri() {
    return host.uri();
  }

  @Override
  public boolean isAlive() {
    return dc.read(this::alive);
  }

  boolean alive() {
    return !closed && !lost && host.epoch == epoch && host.answering();
  }

  /** Throws UNREACHABLE unless this connection can talk to its host. Call under the lock. */
  void check() {
    if (closed) {
      throw new DriverException(Kind.UNREACHABLE, "connection to " + uri() + " is closed; connect again");
    }
    if (!alive()) {
      throw dc.unreachable(host, lost || host.answering() ? "connection lost" : SimHypervisorDriver.whyNotAnswering(host));
    }
  }

  @Override
  public CompletionStage<HostFacts> facts() {
    return dc.call(() -> {
      check();
      var c = host.capacity();
      return CompletableFuture.completedFuture(
          new HostFacts(host.name(), "Sim", 1_000_000, c.cores(), c.mhzPerCore(), c.memoryMib(), "Simulated CPU"));
    });
  }

  @Override
  public CompletionStage<List<DomainStatus>> domains() {
    return dc.call(() -> {
      check();
      dc.accrue(host);
      List<DomainStatus> out = new ArrayList<>();
      host.domains.values().forEach(d -> out.add(d.status()));
      return CompletableFuture.completedFuture(List.copyOf(out));
    });
  }

  @Override
  public CompletionStage<Optional<DomainStatus>> domain(String name) {
    return dc.call(() -> {
      check();
      dc.accrue(host);
      return CompletableFuture.completedFuture(Optional.ofNullable(host.domains.get(name)).map(SimDomain::status));
    });
  }

  @Override
  public CompletionStage<HostStats> stats() {
    return dc.call(() -> {
      check();
      dc.accrue(host);
      Map<String, Long> cpu = new HashMap<>();
      for (SimDomain d : host.domains.values()) {
        if (d.phase.usesCpu()) {
          cpu.put(d.name(), Math.round(d.cpuNanos));
        }
      }
      return CompletableFuture.completedFuture(
          new HostStats(cpu, Math.round(host.busyCoreNanos), host.freeMib(), dc.nowNanos()));
    });
  }

  @Override
  public CompletionStage<Void> define(DomainSpec spec) {
    return dc.call(() -> {
      validate(spec);
      check();
      SimDomain existing = host.domains.get(spec.name());
      if (existing != null && !existing.spec.uuid().equals(spec.uuid())) {
        throw rejected("domain '" + spec.name() + "' already exists on " + host.name() + " with UUID "
            + existing.spec.uuid() + ", not " + spec.uuid() + "; undefine it first or use another name");
      }
      for (SimDomain d : host.domains.values()) {
        if (d != existing && d.spec.uuid().equals(spec.uuid())) {
          throw rejected("UUID " + spec.uuid() + " is already used by domain '" + d.name() + "' on " + host.name());
        }
      }
      if (existing != null) {
        existing.spec = spec; // a running instance keeps its definition until the next start
        if (!existing.phase.holdsMemory()) {
          existing.live = spec;
        }
      } else {
        host.domains.put(spec.name(), new SimDomain(spec));
        dc.emit(host, spec.name(), DomainEvent.Kind.DEFINED);
      }
      PendingOp op = dc.begin("define " + spec.name(), List.of(host));
      op.timers.add(dc.later(dc.latencies().define(), () -> dc.succeed(op)));
      return op.stage.copy();
    });
  }

  @Override
  public CompletionStage<Void> start(String name) {
    return dc.call(() -> {
      check();
      SimDomain d = domainOrThrow(name);
      switch (d.phase) {
        case RUNNING -> {
          return DONE;
        }
        case STARTING -> {
          return d.opInFlight().stage.copy();
        }
        case STOPPING -> throw busy(d);
        case SHUTOFF, CRASHED -> { }
      }
      if (d.op != null) {
        throw busy(d);
      }
      if (host.storageCut) {
        throw rejected("cannot start '" + name + "' on " + host.name() + ": its disk's storage lease cannot be acquired"
            + " (the host is cut from the shared storage)");
      }
      long free = host.freeMib();
      if (d.spec.memoryMib() > free) {
        throw rejected("not enough memory on " + host.name() + " to start '" + name + "': needs "
            + d.spec.memoryMib() + " MiB, " + free + " MiB free");
      }
      d.live = d.spec;
      d.phase = DomainPhase.STARTING;
      PendingOp op = dc.begin("start of " + name, List.of(host));
      d.op = op;
      op.onAbort = () -> {
        if (d.op == op) {
          d.op = null;
          d.phase = DomainPhase.SHUTOFF;
        }
      };
      op.timers.add(dc.later(dc.latencies().boot(), () -> {
        if (op.finished || host.domains.get(name) != d) {
          return;
        }
        dc.accrue(host);
        d.phase = DomainPhase.RUNNING;
        d.hung = false;
        d.cpuNanos = 0;
        d.origin = dc.nowNanos();
        d.op = null;
        dc.emit(host, name, DomainEvent.Kind.STARTED);
        dc.succeed(op);
      }));
      return op.stage.copy();
    });
  }

  @Override
  public CompletionStage<Void> shutdown(String name, Duration timeout) {
    return dc.call(() -> {
      if (timeout == null || timeout.isNegative()) {
        throw rejected("shutdown timeout must be a duration ≥ 0, got " + timeout);
      }
      check();
      SimDomain d = domainOrThrow(name);
      switch (d.phase) {
        case SHUTOFF, CRASHED -> {
          return DONE;
        }
        case STOPPING -> {
          return d.opInFlight().stage.copy();
        }
        case STARTING -> throw busy(d);
        case RUNNING -> { }
      }
      if (d.op != null) {
        throw busy(d);
      }
      dc.accrue(host);
      d.phase = DomainPhase.STOPPING;
      PendingOp op = dc.begin("shutdown of " + name, List.of(host));
      d.op = op;
      op.onAbort = () -> {
        if (d.op == op) {
          d.op = null;
          d.phase = DomainPhase.RUNNING;
        }
      };
      boolean gracefulInTime = timeout.compareTo(dc.latencies().shutdown()) >= 0;
      Duration wait = gracefulInTime ? dc.latencies().shutdown() : timeout;
      op.timers.add(dc.later(wait, () -> {
        if (op.finished || host.domains.get(name) != d) {
          return;
        }
        stop(d, gracefulInTime);
        dc.succeed(op);
      }));
      return op.stage.copy();
    });
  }

  @Override
  public CompletionStage<Void> destroy(String name) {
    return dc.call(() -> {
      check();
      SimDomain d = domainOrThrow(name);
      PendingOp op = d.op;
      if (op != null && d.phase == DomainPhase.STOPPING) {
        dc.succeed(op); // what the shutdown wanted, sooner
      } else if (op != null) {
        dc.abort(op, new DriverException(Kind.TRANSIENT, op.what + " interrupted by destroy"));
      }
      if (d.phase != DomainPhase.SHUTOFF) {
        stop(d, false);
      }
      return DONE;
    });
  }

  @Override
  public CompletionStage<Void> undefine(String name, boolean removeStorage) {
    return dc.call(() -> {
      check();
      SimDomain d = host.domains.get(name);
      if (d == null) {
        return DONE;
      }
      if (!d.phase.stopped()) {
        throw rejected("domain '" + name + "' is " + d.phase.shown() + " on " + host.name()
            + "; shut it down or destroy it before undefining");
      }
      host.domains.remove(name);
      dc.emit(host, name, DomainEvent.Kind.UNDEFINED);
      return DONE;
    });
  }

  @Override
  public CompletionStage<Void> reboot(String name, Duration timeout) {
    return dc.call(() -> {
      if (timeout == null || timeout.isNegative()) {
        throw rejected("reboot timeout must be a duration ≥ 0, got " + timeout);
      }
      check();
      SimDomain d = domainOrThrow(name);
      if (d.op != null) {
        throw busy(d);
      }
      if (d.phase != DomainPhase.RUNNING) {
        throw rejected("domain '" + name + "' is not running on " + host.name() + "; start it instead");
      }
      PendingOp op = dc.begin("reboot of " + name, List.of(host));
      d.op = op;
      op.onAbort = () -> {
        if (d.op == op) {
          d.op = null;
        }
      };
      // As a shutdown: the guest goes down in the shutdown time when the timeout allows it, else it
      // is reset when the timeout ends; then it boots again.
      Duration down = timeout.compareTo(dc.latencies().shutdown()) >= 0 ? dc.latencies().shutdown() : timeout;
      op.timers.add(dc.later(down.plus(dc.latencies().boot()), () -> {
        if (d.op == op) {
          d.op = null;
        }
        dc.succeed(op);
      }));
      return op.stage.copy();
    });
  }

  @Override
  public CompletionStage<Void> migrate(String name, HypervisorConnection destination, MigrationOptions options,
      Consumer<MigrationProgress> progress) {
    return LiveMigration.begin(this, name, destination, options == null ? MigrationOptions.DEFAULT : options,
        progress == null ? p -> { } : progress);
  }

  @Override
  public void onEvent(Consumer<DomainEvent> listener) {
    listeners.add(listener);
  }

  @Override
  public void close() {
    dc.mutate(() -> {
      closed = true;
      host.connections.remove(this);
      return null;
    });
  }

  /** The host stopped answering: report it once. Under the lock. */
  void lost() {
    if (!lost && !closed) {
      lost = true;
      deliver(new DomainEvent(uri(), null, DomainEvent.Kind.CONNECTION_LOST));
    }
  }

  /** Queues {@code e} for every listener. Under the lock. */
  void deliver(DomainEvent e) {
    for (Consumer<DomainEvent> l : listeners) {
      dc.after(() -> l.accept(e));
    }
  }

  /** The domain goes to SHUTOFF now (after an ACPI shutdown or a hard stop). Under the lock. */
  private void stop(SimDomain d, boolean graceful) {
    dc.accrue(host);
    boolean wasRunning = d.phase.usesCpu();
    d.phase = DomainPhase.SHUTOFF;
    d.hung = false;
    d.cpuNanos = 0;
    d.op = null;
    if (wasRunning) {
      if (graceful) {
        dc.emit(host, d.name(), DomainEvent.Kind.SHUTDOWN);
      }
      dc.emit(host, d.name(), DomainEvent.Kind.STOPPED);
    }
  }

  SimDomain domainOrThrow(String name) {
    SimDomain d = host.domains.get(name);
    if (d == null) {
      throw new DriverException(Kind.NOT_FOUND, "no domain '" + name + "' on " + host.name());
    }
    return d;
  }

  static DriverException busy(SimDomain d) {
    String what = d.op != null ? d.op.what : d.phase.name().toLowerCase();
    return new DriverException(Kind.TRANSIENT, "domain '" + d.name() + "' is busy (" + what + " in progress); retry later");
  }

  static DriverException rejected(String message) {
    return new DriverException(Kind.REJECTED, message);
  }

  private static void validate(DomainSpec spec) {
    if (spec == null) {
      throw rejected("spec: is missing");
    }
    if (spec.name() == null || spec.name().isBlank()) {
      throw rejected("spec.name: is missing; give the domain a name");
    }
    if (spec.uuid() == null || spec.uuid().isBlank()) {
      throw rejected("spec.uuid: is missing; give the domain a UUID");
    }
    if (spec.vcpus() <= 0) {
      throw rejected("spec.vcpus: must be positive, got " + spec.vcpus());
    }
    if (spec.memoryMib() <= 0) {
      throw rejected("spec.memoryMib: must be positive, got " + spec.memoryMib());
    }
  }
}
