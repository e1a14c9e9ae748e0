package org.corral.controller.connection;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.corral.drivers.DriverException;
import org.corral.drivers.Drivers;
import org.corral.drivers.hypervisor.DomainEvent;
import org.corral.drivers.hypervisor.HypervisorConnection;
import org.corral.model.host.Host;
import org.corral.model.time.Clock;

/**
 * One hypervisor connection per host, opened on demand and reopened when it dies. Concurrent
 * requests for the same host share one connection attempt. Used only on the controller's loop.
 */
public final class HostConnections implements AutoCloseable {
  private final Drivers drivers;
  private final Clock clock;
  private final Duration connectTimeout;
  private final Map<String, HypervisorConnection> open = new HashMap<>();
  private final Map<String, CompletionStage<HypervisorConnection>> connecting = new HashMap<>();
  private final Map<String, String> uris = new HashMap<>();
  private volatile Consumer<DomainEvent> events = e -> {};

  /** How long opening a connection may take. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  public HostConnections(Drivers drivers, Clock clock, Duration connectTimeout) {
    this.drivers = drivers;
    this.clock = clock;
    this.connectTimeout = connectTimeout;
  }

  /** Where lifecycle events go (the Monitor wakes on them). Called from driver threads. */
  public void onEvent(Consumer<DomainEvent> listener) {
    this.events = listener;
  }

  /**
   * What the shared storage says of {@code host}'s storage leases (asked of the storage through its
   * hypervisor driver, not of the host); UNKNOWN when the driver cannot tell or the question fails.
   */
  public CompletionStage<org.corral.model.snapshot.StorageLeases> leases(Host host) {
    CompletionStage<org.corral.drivers.hypervisor.LeaseStatus> asked;
    try {
      asked = drivers.hypervisorFor("uri", host.uri()).leases(host.uri());
    } catch (RuntimeException e) {
      asked = CompletableFuture.failedFuture(e);
    }
    return asked.handle((l, err) -> err != null || l == null ? org.corral.model.snapshot.StorageLeases.UNKNOWN : switch (l) {
      case HELD -> org.corral.model.snapshot.StorageLeases.HELD;
      case EXPIRED -> org.corral.model.snapshot.StorageLeases.EXPIRED;
      case UNKNOWN -> org.corral.model.snapshot.StorageLeases.UNKNOWN;
    });
  }

  /** The live connection to {@code host}, connecting if needed. Completes on the loop. */
  public CompletionStage<HypervisorConnection> get(Host host) {
    HypervisorConnection c = open.get(host.name());
    if (c != null && c.isAlive() && host.uri().equals(uris.get(host.name()))) {
      return CompletableFuture.completedFuture(c);
    }
    if (c != null) {
      drop(host.name());
    }
    CompletionStage<HypervisorConnection> pending = connecting.get(host.name());
    if (pending != null) {
      return pending;
    }
    CompletionStage<HypervisorConnection> attempt;
    try {
      attempt = drivers.hypervisorFor("uri", host.uri()).connect(host.uri());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletionStage<HypervisorConnection> timed = Stages.within(attempt, connectTimeout, clock,
        "connecting to " + host.uri());
    CompletionStage<HypervisorConnection> result = timed.handle((conn, err) -> {
      connecting.remove(host.name());
      if (err != null) {
        // A connection that arrives after the timeout must not leak.
        attempt.thenAccept(HypervisorConnection::close);
        throw DriverException.of(err);
      }
      open.put(host.name(), conn);
      uris.put(host.name(), host.uri());
      conn.onEvent(e -> events.accept(e));
      return conn;
    });
    connecting.put(host.name(), result);
    return result;
  }

  /** Closes and forgets the connection to {@code host} (after an error, or when the host goes). */
  public void drop(String host) {
    HypervisorConnection c = open.remove(host);
    uris.remove(host);
    if (c != null) {
      try {
        c.close();
      } catch (RuntimeException ignored) {
        // The connection is being discarded because it is broken.
      }
    }
  }


  @Override
  public void close() {
    for (String h : Map.copyOf(open).keySet()) {
      drop(h);
    }
  }
}
