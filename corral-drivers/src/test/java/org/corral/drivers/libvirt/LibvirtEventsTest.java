package org.corral.drivers.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.corral.drivers.libvirt.TestHosts.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.corral.drivers.hypervisor.DomainEvent;
import org.corral.drivers.hypervisor.DomainEvent.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Lifecycle events from the real test driver, through libvirt's event loop. */
class LibvirtEventsTest {
  private static final String UUID = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

  private LibvirtDriver driver;
  private LibvirtConnection a;
  private final List<DomainEvent> seen = new CopyOnWriteArrayList<>();

  @BeforeEach
  void open() {
    TestHosts.requireLibvirt();
    driver = TestHosts.driver();
    a = TestHosts.connect(driver, "host-a.xml");
    a.onEvent(seen::add);
  }

  @AfterEach
  void close() {
    if (a != null) {
      a.close();
    }
    if (driver != null) {
      driver.close();
    }
  }

  private List<Kind> kindsFor(String domain) {
    return seen.stream().filter(e -> domain.equals(e.domain())).map(DomainEvent::kind).toList();
  }

  @Test
  void defineStartDestroyUndefineEachEmitAnEventInOrder() {
    await(a.define(TestHosts.spec("ev-1", UUID, null)));
    await(a.start("ev-1"));
    await(a.destroy("ev-1"));
    await(a.undefine("ev-1", true));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(kindsFor("ev-1")).containsExactly(Kind.DEFINED, Kind.STARTED, Kind.STOPPED, Kind.UNDEFINED));
    assertThat(seen).allSatisfy(e -> assertThat(e.hostUri()).isEqualTo(a.uri()));
  }

  @Test
  void shutdownOfAnAdoptedDomainIsReported() {
    await(a.shutdown("legacy-web", Duration.ofSeconds(10)));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(kindsFor("legacy-web")).contains(Kind.STOPPED));
  }

  /**
   * What libvirt's close callback (keepalive timeout, EOF) and a call failing with a connection
   * error both do. Triggered directly: dropping a real connection needs a remote libvirtd, which
   * this test suite does not start (see docs/real-hosts.md for checking it on real hosts).
   */
  @Test
  void connectionLossMarksTheConnectionDeadAndIsReportedOnce() {
    a.lost("closed by libvirt: KEEPALIVE");
    a.lost("closed by libvirt: EOF");
    assertThat(a.isAlive()).isFalse();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(seen).filteredOn(e -> e.kind() == Kind.CONNECTION_LOST).hasSize(1)
            .allSatisfy(e -> assertThat(e.hostUri()).isEqualTo(a.uri())));
  }

  @Test
  void closingTheConnectionIsNotAConnectionLoss() {
    a.close();
    assertThat(a.isAlive()).isFalse();
    assertThat(seen).noneMatch(e -> e.kind() == Kind.CONNECTION_LOST);
  }

  @Test
  void callsAfterCloseFailAsUnreachable() {
    a.close();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> await(a.domains()))
        .isInstanceOfSatisfying(org.corral.drivers.DriverException.class,
            e -> assertThat(e.kind()).isEqualTo(org.corral.drivers.DriverException.Kind.UNREACHABLE));
  }
}
