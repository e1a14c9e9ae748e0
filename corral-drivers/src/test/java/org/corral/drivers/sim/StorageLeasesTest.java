package org.corral.drivers.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.corral.drivers.sim.SimLab.failure;
import static org.corral.drivers.sim.SimLab.join;
import static org.corral.drivers.sim.SimLab.spec;

import java.time.Duration;
import org.corral.drivers.DriverException.Kind;
import org.corral.drivers.hypervisor.DomainEvent;
import org.corral.drivers.hypervisor.HypervisorConnection;
import org.corral.drivers.hypervisor.LeaseStatus;
import org.corral.model.InvalidInputException;
import org.junit.jupiter.api.Test;

/** Storage leases in the simulated lab: renewed by a live host on storage, run out a lease time after it stops. */
class StorageLeasesTest {
  private final SimLab lab = new SimLab(SimLatencies.DEFAULT, "node1", "node2");
  private final HypervisorConnection node1 = lab.connect("node1");

  private LeaseStatus leases(String host) {
    return join(lab.hypervisors.leases(lab.dc.uriOf(host)));
  }

  @Test
  void aHostCutFromStorageLosesItsLeasesAfterTheLeaseTimeAndItsDomainsAreKilled() {
    lab.run(node1, spec("web1", 2, 1024));
    lab.events.clear();

    lab.dc.cutStorage("node1", true);
    lab.advance(Duration.ofSeconds(9));
    assertThat(leases("node1")).as("within the lease time").isEqualTo(LeaseStatus.HELD);
    assertThat(lab.dc.host("node1").orElseThrow().activeDomainNames()).containsExactly("web1");

    lab.advance(Duration.ofSeconds(1));
    assertThat(leases("node1")).isEqualTo(LeaseStatus.EXPIRED);
    assertThat(lab.dc.host("node1").orElseThrow().activeDomainNames()).as("killed as sanlock would").isEmpty();
    assertThat(lab.events).extracting(DomainEvent::kind).containsExactly(DomainEvent.Kind.CRASHED);
    assertThat(node1.isAlive()).as("its hypervisor still answers").isTrue();
    var start = failure(node1.start("web1"));
    assertThat(start.kind()).isEqualTo(Kind.REJECTED);
    assertThat(start.getMessage()).contains("storage lease");
    assertThat(lab.dc.faultLog()).anyMatch(l -> l.endsWith("node1: storage leases expired; killed [web1]"));

    lab.dc.cutStorage("node1", false);
    assertThat(leases("node1")).as("renewed again").isEqualTo(LeaseStatus.HELD);
  }

  @Test
  void aCrashedHostsLeasesRunOutAfterTheLeaseTime() {
    lab.run(node1, spec("web1", 2, 1024));
    lab.dc.setLeaseTime(Duration.ofSeconds(30));

    lab.dc.crashHost("node1");
    lab.advance(Duration.ofSeconds(29));
    assertThat(leases("node1")).isEqualTo(LeaseStatus.HELD);
    lab.advance(Duration.ofSeconds(1));
    assertThat(leases("node1")).isEqualTo(LeaseStatus.EXPIRED);
  }

  @Test
  void aPartitionOrADeadLibvirtdDoesNotStopTheRenewals() {
    lab.run(node1, spec("web1", 2, 1024));

    lab.dc.partitionHost("node1", true);
    lab.dc.setBmcReachable("node1", false);
    lab.dc.stopHypervisor("node2");
    lab.advance(Duration.ofMinutes(5));

    assertThat(leases("node1")).as("it may still write: never restart its VMs elsewhere").isEqualTo(LeaseStatus.HELD);
    assertThat(leases("node2")).isEqualTo(LeaseStatus.HELD);
    assertThat(lab.dc.host("node1").orElseThrow().activeDomainNames()).containsExactly("web1");
  }

  @Test
  void aHostPoweredBackOnRenewsAgain() {
    lab.dc.crashHost("node1");
    lab.advance(Duration.ofSeconds(10));
    assertThat(leases("node1")).isEqualTo(LeaseStatus.EXPIRED);

    var on = lab.power.powerOn(lab.target("node1"));
    lab.advance(Duration.ofMinutes(1));
    join(on);
    assertThat(leases("node1")).isEqualTo(LeaseStatus.HELD);
  }

  @Test
  void aBadLeaseTimeNamesTheField() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> lab.dc.setLeaseTime(Duration.ZERO))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("lab.leaseTime"));
  }

  @Test
  void aHostCutFromStorageCannotReceiveALiveMigration() {
    lab.run(node1, spec("web1", 2, 1024));
    lab.dc.cutStorage("node2", true);

    var e = failure(node1.migrate("web1", lab.connect("node2"), org.corral.drivers.hypervisor.MigrationOptions.DEFAULT, p -> { }));

    assertThat(e.kind()).isEqualTo(Kind.REJECTED);
    assertThat(e.getMessage()).contains("storage lease");
    assertThat(lab.dc.host("node1").orElseThrow().activeDomainNames()).containsExactly("web1");
  }
}
