package org.corral.drivers.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.corral.drivers.DriverException;
import org.corral.drivers.hypervisor.DomainEvent;
import org.junit.jupiter.api.Test;

/**
 * A libvirtd frozen with SIGSTOP (a partitioned host: its socket stays open, nothing answers)
 * under several calls in flight, until keepalive gives up on it, then thawed with SIGCONT.
 *
 * <p>Before {@link NativeLanes}, the calls shared one native connection and the process died at
 * SIGCONT, inside libvirt's client (SIGSEGV in {@code virNetClientIOEventFD} /
 * {@code g_main_loop_quit}; docs/real-hosts.md, "A frozen libvirtd"): three runs out of three of
 * this scenario. A crash here fails the build as "the forked VM terminated without saying
 * goodbye"; that it ends at all is the first assertion.
 */
class LibvirtFrozenDaemonTest {
  private static final Duration LONG = Duration.ofSeconds(60);

  @Test
  void callsInFlightOnAFrozenDaemonFailWhenKeepaliveGivesUpAndTheProcessSurvivesItsThaw() throws Exception {
    TestHosts.requireLibvirt();
    try (LibvirtDaemon daemon = LibvirtDaemon.start()) {
      // Probe every second, give up after 2 missed probes: about 3 s to notice.
      LibvirtConnection c = LibvirtConnection.open(daemon.testUri(), 1, 2);
      List<DomainEvent> events = new CopyOnWriteArrayList<>();
      c.onEvent(events::add);
      try {
        // The Monitor's read and an action at once: each call gets a native connection of its own.
        TestHosts.await(CompletableFuture.allOf(calls(c).toArray(CompletableFuture[]::new)));
        assertThat(c.nativeConnections()).as("native connections after calls side by side")
            .isBetween(2, LibvirtConnection.MAX_NATIVE);

        daemon.freeze();
        List<CompletableFuture<?>> inFlight = calls(c);

        await("CONNECTION_LOST by keepalive").atMost(LONG)
            .until(() -> events.stream().anyMatch(e -> e.kind() == DomainEvent.Kind.CONNECTION_LOST));
        assertThat(c.isAlive()).isFalse();
        c.close();
        // SIGCONT: the daemon answers what waited in its sockets. This is where the process died.
        daemon.thaw();

        await("the calls in flight end").atMost(LONG).until(() -> inFlight.stream().allMatch(CompletableFuture::isDone));
        for (CompletableFuture<?> f : inFlight) {
          assertThat(f).isCompletedExceptionally();
          f.handle((v, e) -> {
            assertThat(e).isInstanceOfSatisfying(DriverException.class,
                d -> assertThat(d.kind()).as(d.getMessage()).isEqualTo(DriverException.Kind.UNREACHABLE));
            return null;
          }).join();
        }
        assertThat(events).filteredOn(e -> e.kind() == DomainEvent.Kind.CONNECTION_LOST).hasSize(1);
      } finally {
        c.close();
      }

      // The thawed daemon serves a new connection, which is what the Monitor's reconnect opens.
      LibvirtConnection again = LibvirtConnection.open(daemon.testUri(), 1, 2);
      try {
        assertThat(TestHosts.await(again.domains())).extracting(d -> d.name()).contains("test");
      } finally {
        again.close();
      }
    }
  }

  /** Three of each read the Monitor and the executor make, all started at once. */
  private static List<CompletableFuture<?>> calls(LibvirtConnection c) {
    List<CompletableFuture<?>> calls = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      calls.add(c.domains().toCompletableFuture());
      calls.add(c.stats().toCompletableFuture());
      calls.add(c.facts().toCompletableFuture());
    }
    return calls;
  }
}
