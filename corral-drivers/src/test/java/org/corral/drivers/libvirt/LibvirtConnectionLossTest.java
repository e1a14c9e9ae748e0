package org.corral.drivers.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.corral.drivers.DriverException;
import org.corral.drivers.hypervisor.DomainEvent;
import org.junit.jupiter.api.Test;

/** A remote connection to a real libvirtd that dies: the loss is noticed and reported once. */
class LibvirtConnectionLossTest {
  @Test
  void killedDaemonMarksTheConnectionDeadAndEmitsConnectionLostOnce() throws Exception {
    TestHosts.requireLibvirt();
    try (LibvirtDaemon daemon = LibvirtDaemon.start()) {
      LibvirtConnection c = LibvirtConnection.open(daemon.testUri(), 1, 2);
      try {
        List<DomainEvent> events = new CopyOnWriteArrayList<>();
        c.onEvent(events::add);
        assertThat(TestHosts.await(c.domains())).extracting(d -> d.name()).contains("test");
        assertThat(c.isAlive()).isTrue();

        daemon.kill();

        await("CONNECTION_LOST").atMost(Duration.ofSeconds(20))
            .until(() -> events.stream().anyMatch(e -> e.kind() == DomainEvent.Kind.CONNECTION_LOST));
        assertThat(c.isAlive()).isFalse();
        assertThatThrownBy(() -> TestHosts.await(c.domains())).isInstanceOfSatisfying(DriverException.class,
            e -> assertThat(e.kind()).as(e.getMessage()).isEqualTo(DriverException.Kind.UNREACHABLE));
        assertThat(events).filteredOn(e -> e.kind() == DomainEvent.Kind.CONNECTION_LOST).hasSize(1);
      } finally {
        c.close();
      }
    }
  }

  @Test
  void frozenDaemonIsDetectedByKeepalive() throws Exception {
    TestHosts.requireLibvirt();
    try (LibvirtDaemon daemon = LibvirtDaemon.start()) {
      // Probe every second, give up after 2 missed probes: about 3 s to notice.
      LibvirtConnection c = LibvirtConnection.open(daemon.testUri(), 1, 2);
      try {
        List<DomainEvent> events = new CopyOnWriteArrayList<>();
        c.onEvent(events::add);
        assertThat(TestHosts.await(c.facts()).cores()).isPositive();

        daemon.freeze();

        await("CONNECTION_LOST by keepalive").atMost(Duration.ofSeconds(30))
            .until(() -> events.stream().anyMatch(e -> e.kind() == DomainEvent.Kind.CONNECTION_LOST));
        assertThat(c.isAlive()).isFalse();
      } finally {
        c.close();
      }
    }
  }
}
