package org.corral.drivers.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.corral.drivers.hypervisor.DomainEvent;
import org.corral.drivers.hypervisor.DomainState;
import org.corral.drivers.hypervisor.HypervisorConnection;
import org.corral.drivers.hypervisor.MigrationOptions;
import org.corral.model.time.SystemClock;
import org.junit.jupiter.api.Test;

/**
 * The same lab on wall-clock time (as {@code ./corral up} runs it): stages complete on the clock's
 * loop thread. Latencies of a few milliseconds; bounded Awaitility waits, generous for a loaded box.
 */
class RealTimeLabTest {
  private static final Duration MS = Duration.ofMillis(5);

  @Test
  void operationsCompleteOnTheClocksLoop() {
    try (SystemClock clock = new SystemClock("sim-test")) {
      SimLatencies quick = new SimLatencies(MS, MS, MS, MS, 1_000_000, MS, MS);
      SimDataCenter dc = new SimDataCenter("lab", clock, 1, quick);
      dc.addHost("node1", SimLab.CAPACITY, SimLab.POWER, true);
      dc.addHost("node2", SimLab.CAPACITY, SimLab.POWER, true);
      SimHypervisorDriver driver = new SimHypervisorDriver(dc);
      HypervisorConnection a = driver.connect(dc.uriOf("node1")).toCompletableFuture().join();
      HypervisorConnection b = driver.connect(dc.uriOf("node2")).toCompletableFuture().join();
      List<DomainEvent> events = new CopyOnWriteArrayList<>();
      b.onEvent(events::add);

      CompletableFuture<Void> done = a.define(SimLab.spec("web1", 1, 512))
          .thenCompose(v -> a.start("web1"))
          .thenCompose(v -> a.migrate("web1", b, MigrationOptions.DEFAULT, p -> { }))
          .toCompletableFuture();

      await().atMost(Duration.ofSeconds(20)).until(done::isDone);
      done.join();
      assertThat(b.domain("web1").toCompletableFuture().join().orElseThrow().state()).isEqualTo(DomainState.RUNNING);
      assertThat(events).extracting(DomainEvent::kind).contains(DomainEvent.Kind.MIGRATED);
      assertThat(dc.totalEnergyJoules()).isPositive();
    }
  }
}
