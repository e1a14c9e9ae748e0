package org.corral.controller.testing;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.corral.drivers.hypervisor.DomainEvent;
import org.corral.drivers.hypervisor.DomainSpec;
import org.corral.drivers.hypervisor.DomainStatus;
import org.corral.drivers.hypervisor.HostFacts;
import org.corral.drivers.hypervisor.HostStats;
import org.corral.drivers.hypervisor.HypervisorConnection;
import org.corral.drivers.hypervisor.HypervisorDriver;
import org.corral.drivers.hypervisor.MigrationOptions;
import org.corral.model.time.Clock;

/**
 * Wraps a hypervisor driver so that listing domains takes {@code delay} on the clock, or never
 * answers at all for the hosts {@code hung} selects (by URI), nor do their counters (the Monitor's
 * beat): a slow or hung libvirtd, for tests of the Monitor's budget and concurrency. Everything else goes straight to the real connection.
 */
public final class SlowReads implements HypervisorDriver {
  private final HypervisorDriver real;
  private final Clock clock;
  private final Duration delay;
  private final Predicate<String> hung;

  public SlowReads(HypervisorDriver real, Clock clock, Duration delay, Predicate<String> hung) {
    this.real = real;
    this.clock = clock;
    this.delay = delay;
    this.hung = hung;
  }

  @Override
  public Set<String> schemes() {
    return real.schemes();
  }

  @Override
  public CompletionStage<HypervisorConnection> connect(String uri) {
    return real.connect(uri).thenApply(Slow::new);
  }

  private final class Slow implements HypervisorConnection {
    private final HypervisorConnection c;

    Slow(HypervisorConnection c) {
      this.c = c;
    }

    @Override public String uri() { return c.uri(); }
    @Override public boolean isAlive() { return c.isAlive(); }
    @Override public CompletionStage<HostFacts> facts() { return c.facts(); }

    @Override
    public CompletionStage<List<DomainStatus>> domains() {
      if (hung.test(c.uri())) {
        return new CompletableFuture<>(); // never answers
      }
      CompletableFuture<List<DomainStatus>> later = new CompletableFuture<>();
      clock.schedule(delay, () -> c.domains().whenComplete((v, e) -> {
        if (e != null) {
          later.completeExceptionally(e);
        } else {
          later.complete(v);
        }
      }));
      return later;
    }

    @Override public CompletionStage<Optional<DomainStatus>> domain(String name) { return c.domain(name); }
    @Override public CompletionStage<HostStats> stats() { return hung.test(c.uri()) ? new CompletableFuture<>() : c.stats(); }
    @Override public CompletionStage<Void> define(DomainSpec spec) { return c.define(spec); }
    @Override public CompletionStage<Void> start(String name) { return c.start(name); }
    @Override public CompletionStage<Void> shutdown(String name, Duration timeout) { return c.shutdown(name, timeout); }
    @Override public CompletionStage<Void> destroy(String name) { return c.destroy(name); }
    @Override public CompletionStage<Void> undefine(String name, boolean removeStorage) { return c.undefine(name, removeStorage); }
    @Override public CompletionStage<Void> reboot(String name, Duration timeout) { return c.reboot(name, timeout); }

    @Override
    public CompletionStage<Void> migrate(String name, HypervisorConnection destination, MigrationOptions options,
        Consumer<org.corral.drivers.hypervisor.MigrationProgress> progress) {
      return c.migrate(name, destination instanceof Slow s ? s.c : destination, options, progress);
    }

    @Override public void onEvent(Consumer<DomainEvent> listener) { c.onEvent(listener); }
    @Override public void close() { c.close(); }
  }
}
