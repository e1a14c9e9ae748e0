package org.corral.drivers.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.corral.drivers.sim.SimLab.done;
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
import org.junit.jupiter.api.Test;

/** Power on and off with DEFAULT latencies (on 60 s, graceful off 35 s). */
class SimPowerDriverTest {
  private final SimLab lab = new SimLab(SimLatencies.DEFAULT, "node1");

  @Test
  void powerOnTakesItsLatencyThenTheHypervisorAnswers() {
    join(lab.power.powerOff(lab.target("node1"), true));
    CompletionStage<Void> on = lab.power.powerOn(lab.target("node1"));

    lab.advance(Duration.ofSeconds(59));
    assertThat(done(on)).isFalse();
    assertThat(join(lab.power.status(lab.target("node1")))).as("chassis on while booting").isEqualTo(PowerStatus.ON);
    assertThat(failure(lab.hypervisors.connect(lab.dc.uriOf("node1"))).getMessage()).contains("booting");
    CompletionStage<Void> again = lab.power.powerOn(lab.target("node1"));
    lab.advance(Duration.ofSeconds(1));
    join(on);
    join(again);
    assertThat(lab.connect("node1").isAlive()).isTrue();
    join(lab.power.powerOn(lab.target("node1")));
  }

  @Test
  void gracefulPowerOffStopsDomainsAtOnceAndCompletesAfterItsLatency() {
    HypervisorConnection c = lab.connect("node1");
    lab.run(c, spec("web1", 2, 1024));
    lab.events.clear();
    CompletionStage<Void> off = lab.power.powerOff(lab.target("node1"), false);

    assertThat(lab.events).extracting(DomainEvent::kind).containsExactly(DomainEvent.Kind.CONNECTION_LOST);
    assertThat(failure(c.domains()).kind()).isEqualTo(Kind.UNREACHABLE);
    lab.advance(Duration.ofSeconds(34));
    assertThat(done(off)).isFalse();
    lab.advance(Duration.ofSeconds(1));
    join(off);
    assertThat(join(lab.power.status(lab.target("node1")))).isEqualTo(PowerStatus.OFF);
    join(lab.power.powerOff(lab.target("node1"), false));

    CompletionStage<Void> on = lab.power.powerOn(lab.target("node1"));
    lab.advance(Duration.ofSeconds(60));
    join(on);
    assertThat(lab.state(lab.connect("node1"), "web1")).as("definition survives").isEqualTo(DomainState.SHUTOFF);
  }

  @Test
  void hardPowerOffIsImmediateAndCutsAGracefulOneShort() {
    CompletionStage<Void> graceful = lab.power.powerOff(lab.target("node1"), false);
    join(lab.power.powerOff(lab.target("node1"), true));

    join(graceful);
    assertThat(lab.dc.host("node1").orElseThrow().power()).isEqualTo(SimPower.OFF);
  }

  @Test
  void powerOnWhilePoweringOffIsRefusedUntilOff() {
    lab.power.powerOff(lab.target("node1"), false);

    assertThat(failure(lab.power.powerOn(lab.target("node1"))).kind()).isEqualTo(Kind.TRANSIENT);
  }

  @Test
  void cycleStopsTheDomainsAndBootsAgain() {
    HypervisorConnection c = lab.connect("node1");
    lab.run(c, spec("web1", 2, 1024));
    CompletionStage<Void> cycle = lab.power.cycle(lab.target("node1"));

    assertThat(c.isAlive()).isFalse();
    lab.advance(Duration.ofSeconds(60));
    join(cycle);
    assertThat(lab.state(lab.connect("node1"), "web1")).isEqualTo(DomainState.SHUTOFF);
  }

  @Test
  void aTargetOutsideTheLabIsNotFound() {
    assertThat(failure(lab.power.status(new org.corral.drivers.power.PowerTarget("x", "sim://lab/x", null))).kind())
        .isEqualTo(Kind.NOT_FOUND);
  }
}
