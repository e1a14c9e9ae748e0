package org.corral.drivers.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.corral.drivers.sim.SimLab.failure;
import static org.corral.drivers.sim.SimLab.join;
import static org.corral.drivers.sim.SimLab.spec;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.corral.drivers.DriverException.Kind;
import org.corral.drivers.hypervisor.DomainEvent;
import org.corral.drivers.hypervisor.DomainState;
import org.corral.drivers.hypervisor.HypervisorConnection;
import org.corral.drivers.power.PowerStatus;
import org.corral.model.InvalidInputException;
import org.junit.jupiter.api.Test;

/** Crash, partition and BMC faults, and what the drivers then report. */
class FaultInjectionTest {
  private final SimLab lab = new SimLab(SimLatencies.DEFAULT, "node1", "node2");
  private final HypervisorConnection node1 = lab.connect("node1");

  @Test
  void aCrashLosesTheConnectionAndTheDomainsUntilPoweredBackOn() {
    lab.run(node1, spec("web1", 2, 1024));
    lab.events.clear();

    lab.dc.crashHost("node1");

    assertThat(node1.isAlive()).isFalse();
    assertThat(lab.events).extracting(DomainEvent::kind).containsExactly(DomainEvent.Kind.CONNECTION_LOST);
    assertThat(failure(node1.domains()).kind()).isEqualTo(Kind.UNREACHABLE);
    var connect = failure(lab.hypervisors.connect(lab.dc.uriOf("node1")));
    assertThat(connect.kind()).isEqualTo(Kind.UNREACHABLE);
    assertThat(connect.getMessage()).contains("node1").contains("crashed");
    assertThat(join(lab.power.status(lab.target("node1")))).isEqualTo(PowerStatus.OFF);

    CompletionStage<Void> on = lab.power.powerOn(lab.target("node1"));
    lab.advance(Duration.ofSeconds(60));
    join(on);
    HypervisorConnection again = lab.connect("node1");
    assertThat(join(again.domains())).as("domains are lost in a crash").isEmpty();
    assertThat(lab.dc.faultLog()).anyMatch(l -> l.endsWith("node1: crashed"));
  }

  @Test
  void aCrashFailsOperationsInFlight() {
    lab.define(node1, spec("web1", 2, 1024));
    CompletionStage<Void> start = node1.start("web1");

    lab.dc.crashHost("node1");
    assertThat(failure(start).kind()).isEqualTo(Kind.UNREACHABLE);
  }

  @Test
  void aPartitionedHostKeepsItsDomainsRunningUntilFenced() {
    lab.dc.setWorkload("web1", WorkloadModel.constant(1.0));
    lab.run(node1, spec("web1", 4, 1024));
    lab.dc.partitionHost("node1", true);

    assertThat(node1.isAlive()).isFalse();
    assertThat(failure(node1.stats()).kind()).isEqualTo(Kind.UNREACHABLE);
    assertThat(failure(lab.hypervisors.connect(lab.dc.uriOf("node1"))).getMessage()).contains("partitioned");
    double before = lab.dc.energyJoules("node1");
    lab.advance(Duration.ofMinutes(1));
    assertThat(lab.dc.energyJoules("node1") - before).as("still at full load").isCloseTo(60 * 200.0,
        org.assertj.core.api.Assertions.within(1e-6));
    assertThat(lab.dc.host("node1").orElseThrow().domainNames()).containsExactly("web1");

    join(lab.power.powerOff(lab.target("node1"), true)); // fencing goes through the BMC
    lab.dc.partitionHost("node1", false);
    CompletionStage<Void> on = lab.power.powerOn(lab.target("node1"));
    lab.advance(Duration.ofSeconds(60));
    join(on);
    HypervisorConnection again = lab.connect("node1");
    assertThat(lab.state(again, "web1")).as("fenced: stopped, definition kept").isEqualTo(DomainState.SHUTOFF);
  }

  @Test
  void anOperationInFlightOnAPartitionedHostStillHappensButItsCallerSeesUnreachable() {
    lab.define(node1, spec("web1", 2, 1024));
    CompletionStage<Void> start = node1.start("web1");

    lab.dc.partitionHost("node1", true);
    assertThat(failure(start).kind()).isEqualTo(Kind.UNREACHABLE);
    lab.advance(Duration.ofSeconds(20));
    lab.dc.partitionHost("node1", false);
    assertThat(node1.isAlive()).as("an old connection stays dead").isFalse();
    assertThat(lab.state(lab.connect("node1"), "web1")).isEqualTo(DomainState.RUNNING);
  }

  @Test
  void anUnreachableBmcFailsPowerCallsButNotTheHypervisor() {
    lab.dc.setBmcReachable("node1", false);

    assertThat(failure(lab.power.status(lab.target("node1"))).kind()).isEqualTo(Kind.UNREACHABLE);
    assertThat(failure(lab.power.powerOff(lab.target("node1"), true)).kind()).isEqualTo(Kind.UNREACHABLE);
    assertThat(node1.isAlive()).isTrue();
    lab.dc.setBmcReachable("node1", true);
    assertThat(join(lab.power.status(lab.target("node1")))).isEqualTo(PowerStatus.ON);
  }

  @Test
  void aCrashedGuestShowsCrashedFreesItsMemoryAndCanBeStartedAgain() {
    lab.run(node1, spec("web1", 2, 1024));
    lab.events.clear();

    lab.dc.crashDomain("node1", "web1");

    assertThat(lab.state(node1, "web1")).isEqualTo(DomainState.CRASHED);
    assertThat(lab.events).extracting(DomainEvent::kind).containsExactly(DomainEvent.Kind.CRASHED);
    assertThat(join(node1.stats()).domainCpuNanos()).doesNotContainKey("web1");
    assertThat(lab.dc.host("node1").orElseThrow().freeMemoryMib()).isEqualTo(8192);
    CompletionStage<Void> restart = node1.start("web1");
    lab.advance(Duration.ofSeconds(20));
    join(restart);
    assertThat(lab.state(node1, "web1")).isEqualTo(DomainState.RUNNING);
    assertThatThrownBy(() -> lab.dc.crashDomain("node1", "nope")).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void crashingAnOffHostChangesNothing() {
    join(lab.power.powerOff(lab.target("node2"), true));
    lab.dc.crashHost("node2");

    assertThat(lab.dc.host("node2").orElseThrow().crashed()).isFalse();
    assertThat(lab.dc.faultLog()).last().asString().contains("ignored");
  }

  @Test
  void faultsOnUnknownHostsAreInvalidInput() {
    assertThatThrownBy(() -> lab.dc.crashHost("nope")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("nope").hasMessageContaining("node1");
    assertThatThrownBy(() -> lab.dc.failNextMigrations("web1", -1)).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void connectingToUnknownOrMalformedUrisSaysWhy() {
    assertThat(failure(lab.hypervisors.connect("sim://lab/nope")).kind()).isEqualTo(Kind.NOT_FOUND);
    assertThat(failure(lab.hypervisors.connect("sim://other/node1")).kind()).isEqualTo(Kind.NOT_FOUND);
    var bad = failure(lab.hypervisors.connect("qemu:///system"));
    assertThat(bad.kind()).isEqualTo(Kind.REJECTED);
    assertThat(bad.getMessage()).contains("sim://<data centre>/<host>");
  }
}
