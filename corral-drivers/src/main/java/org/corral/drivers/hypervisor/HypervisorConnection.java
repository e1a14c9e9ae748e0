package org.corral.drivers.hypervisor;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A live connection to one host's hypervisor. Thread-safe. Every mutating call is idempotent
 * with respect to its end state (define of a domain that exists with the same UUID succeeds,
 * start of a running domain succeeds, destroy of a stopped one succeeds, undefine of a missing
 * one succeeds), so that an action interrupted by a controller crash can be run again safely.
 */
public interface HypervisorConnection extends AutoCloseable {
  String uri();

  /** False once the connection is known to be broken; the Monitor then reconnects. */
  boolean isAlive();

  CompletionStage<HostFacts> facts();

  /** Every domain on the host, defined or running. */
  CompletionStage<List<DomainStatus>> domains();

  CompletionStage<Optional<DomainStatus>> domain(String name);

  /** Cumulative counters; the Monitor turns deltas into utilisation. */
  CompletionStage<HostStats> stats();

  /**
   * The liveness beat: completes when the hypervisor answered one cheap round trip, fails when it
   * did not. The Monitor sends one every {@code guardian.beat} between its full reads.
   */
  default CompletionStage<Void> beat() {
    return stats().thenApply(s -> null);
  }

  /** Defines the domain persistently (creating disk overlays as needed). Idempotent by UUID. */
  CompletionStage<Void> define(DomainSpec spec);

  CompletionStage<Void> start(String name);

  /** ACPI shutdown; destroys the domain if it has not stopped within {@code timeout}. */
  CompletionStage<Void> shutdown(String name, Duration timeout);

  /** Hard power-off of the domain. */
  CompletionStage<Void> destroy(String name);

  /** Removes the definition; with {@code removeStorage} also the VM's own volumes (not base images). */
  CompletionStage<Void> undefine(String name, boolean removeStorage);

  /**
   * Graceful reboot (libvirt's {@code virDomainReboot}: ACPI or the guest agent); a guest that has
   * not rebooted within {@code timeout} is reset (hard, {@code virDomainReset}). Rejected when the
   * domain is not running.
   */
  CompletionStage<Void> reboot(String name, Duration timeout);

  /**
   * Live-migrates {@code name} to {@code destination} (peer-to-peer, persistent there, undefined
   * here). {@code progress} receives updates; the stage fails with TIMEOUT after
   * {@link MigrationOptions#timeout()} and the migration is aborted.
   */
  CompletionStage<Void> migrate(String name, HypervisorConnection destination, MigrationOptions options,
      Consumer<MigrationProgress> progress);

  /**
   * Registers a listener for lifecycle events (started, stopped, crashed, migrated …). Events
   * only wake the Monitor; it re-reads the state (level-triggered), so a lost event costs
   * latency, never correctness. Connection loss is reported as {@link DomainEvent.Kind#CONNECTION_LOST}.
   */
  void onEvent(Consumer<DomainEvent> listener);

  @Override
  void close();
}
