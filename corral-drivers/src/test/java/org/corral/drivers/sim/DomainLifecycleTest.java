package org.corral.drivers.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.corral.drivers.sim.SimLab.done;
import static org.corral.drivers.sim.SimLab.failure;
import static org.corral.drivers.sim.SimLab.join;
import static org.corral.drivers.sim.SimLab.spec;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.corral.drivers.DriverException.Kind;
import org.corral.drivers.hypervisor.DomainEvent;
import org.corral.drivers.hypervisor.DomainSpec;
import org.corral.drivers.hypervisor.DomainState;
import org.corral.drivers.hypervisor.DomainStatus;
import org.corral.drivers.hypervisor.HostFacts;
import org.corral.drivers.hypervisor.HypervisorConnection;
import org.junit.jupiter.api.Test;

/** Each domain operation's latency, end state, idempotency and refusals, with DEFAULT latencies. */
class DomainLifecycleTest {
  private final SimLab lab = new SimLab(SimLatencies.DEFAULT, "node1");
  private final HypervisorConnection node1 = lab.connect("node1");

  @Test
  void factsComeFromTheHostCapacity() {
    HostFacts f = join(node1.facts());
    assertThat(f).isEqualTo(new HostFacts("node1", "Sim", 1_000_000, 4, 2600, 8192, "Simulated CPU"));
  }

  @Test
  void defineShowsTheDomainAtOnceAndCompletesAfterTheDefineLatency() {
    CompletionStage<Void> define = node1.define(spec("web1", 2, 1024));

    assertThat(lab.state(node1, "web1")).isEqualTo(DomainState.SHUTOFF);
    assertThat(done(define)).as("done before 1 s").isFalse();
    lab.advance(Duration.ofSeconds(1));
    join(define);
    assertThat(lab.eventKinds("web1")).containsExactly(DomainEvent.Kind.DEFINED);
  }

  @Test
  void redefiningWhileRunningAppliesAtTheNextStart() {
    lab.run(node1, spec("web1", 2, 1024));
    DomainSpec bigger = new DomainSpec("web1", spec("web1", 2, 1024).uuid(), 4, 2048, List.of(), List.of(), null);

    lab.define(node1, bigger);
    assertThat(join(node1.domain("web1")).orElseThrow().memoryMib()).as("running instance unchanged").isEqualTo(1024);

    join(node1.destroy("web1"));
    lab.run(node1, bigger);
    assertThat(join(node1.domain("web1")).orElseThrow().memoryMib()).isEqualTo(2048);
  }

  @Test
  void defineRefusesAUuidUsedByAnotherName() {
    lab.run(node1, spec("web1", 1, 512));
    DomainSpec clash = new DomainSpec("web2", spec("web1", 1, 512).uuid(), 1, 512, List.of(), List.of(), null);

    assertThat(failure(node1.define(clash)).kind()).isEqualTo(Kind.REJECTED);
    assertThat(join(node1.domains())).extracting(DomainStatus::name).containsExactly("web1");
  }

  @Test
  void defineRejectsABadSpecNamingTheField() {
    var e = failure(node1.define(spec("web1", 0, 512)));
    assertThat(e.kind()).isEqualTo(Kind.REJECTED);
    assertThat(e.getMessage()).contains("spec.vcpus");
    assertThat(join(node1.domains())).isEmpty();
  }

  @Test
  void startTakesTheBootTimeAndTheDomainRunsFromThen() {
    lab.define(node1, spec("web1", 2, 1024));
    CompletionStage<Void> start = node1.start("web1");

    lab.advance(Duration.ofSeconds(19));
    assertThat(done(start)).as("done before 20 s of boot").isFalse();
    assertThat(lab.state(node1, "web1")).as("shown RUNNING while booting, as libvirt shows a booting guest").isEqualTo(DomainState.RUNNING);
    assertThat(lab.dc.host("node1").orElseThrow().freeMemoryMib()).as("memory held while booting").isEqualTo(8192 - 1024);

    lab.advance(Duration.ofSeconds(1));
    join(start);
    assertThat(lab.state(node1, "web1")).isEqualTo(DomainState.RUNNING);
    assertThat(lab.eventKinds("web1")).containsExactly(DomainEvent.Kind.DEFINED, DomainEvent.Kind.STARTED);
  }

  @Test
  void startIsIdempotentWhileBootingAndOnceRunning() {
    lab.define(node1, spec("web1", 2, 1024));
    CompletionStage<Void> first = node1.start("web1");
    lab.advance(Duration.ofSeconds(5));
    CompletionStage<Void> second = node1.start("web1");
    assertThat(done(second)).as("joins the boot in progress").isFalse();

    lab.advance(Duration.ofSeconds(15));
    join(first);
    join(second);
    join(node1.start("web1"));
    assertThat(lab.eventKinds("web1")).filteredOn(k -> k == DomainEvent.Kind.STARTED).hasSize(1);
  }

  @Test
  void startIsRefusedWhenTheDomainDoesNotFitInFreeMemory() {
    lab.run(node1, spec("big1", 2, 6144));
    lab.define(node1, spec("big2", 2, 4096));

    var e = failure(node1.start("big2"));
    assertThat(e.kind()).isEqualTo(Kind.REJECTED);
    assertThat(e.getMessage()).contains("not enough memory").contains("4096").contains("2048 MiB free");
    assertThat(lab.state(node1, "big2")).isEqualTo(DomainState.SHUTOFF);
  }

  @Test
  void shutdownTakesTheShutdownLatencyAndShowsShutdownMeanwhile() {
    lab.run(node1, spec("web1", 2, 1024));
    CompletionStage<Void> shutdown = node1.shutdown("web1", Duration.ofMinutes(1));

    lab.advance(Duration.ofSeconds(9));
    assertThat(done(shutdown)).isFalse();
    assertThat(lab.state(node1, "web1")).isEqualTo(DomainState.SHUTDOWN);
    lab.advance(Duration.ofSeconds(1));
    join(shutdown);
    assertThat(lab.state(node1, "web1")).isEqualTo(DomainState.SHUTOFF);
    assertThat(lab.eventKinds("web1")).endsWith(DomainEvent.Kind.SHUTDOWN, DomainEvent.Kind.STOPPED);
    join(node1.shutdown("web1", Duration.ofMinutes(1)));
  }

  @Test
  void shutdownDestroysTheDomainWhenTheTimeoutIsShorterThanTheGuestNeeds() {
    lab.run(node1, spec("web1", 2, 1024));
    CompletionStage<Void> shutdown = node1.shutdown("web1", Duration.ofSeconds(3));

    lab.advance(Duration.ofSeconds(2));
    assertThat(done(shutdown)).isFalse();
    lab.advance(Duration.ofSeconds(1));
    join(shutdown);
    assertThat(lab.state(node1, "web1")).isEqualTo(DomainState.SHUTOFF);
    assertThat(lab.eventKinds("web1")).endsWith(DomainEvent.Kind.STARTED, DomainEvent.Kind.STOPPED);
  }

  @Test
  void destroyIsImmediateAndIdempotentAndEndsAShutdownInProgress() {
    lab.run(node1, spec("web1", 2, 1024));
    CompletionStage<Void> shutdown = node1.shutdown("web1", Duration.ofMinutes(1));

    join(node1.destroy("web1"));
    join(shutdown);
    join(node1.destroy("web1"));
    assertThat(lab.state(node1, "web1")).isEqualTo(DomainState.SHUTOFF);
    assertThat(lab.dc.host("node1").orElseThrow().freeMemoryMib()).isEqualTo(8192);
  }

  @Test
  void destroyDuringBootAbortsTheStart() {
    lab.define(node1, spec("web1", 2, 1024));
    CompletionStage<Void> start = node1.start("web1");

    join(node1.destroy("web1"));
    assertThat(failure(start).kind()).isEqualTo(Kind.TRANSIENT);
    lab.advance(Duration.ofMinutes(1));
    assertThat(lab.state(node1, "web1")).as("the boot did not finish later").isEqualTo(DomainState.SHUTOFF);
  }

  @Test
  void aDomainBusyShuttingDownCannotBeStarted() {
    lab.run(node1, spec("web1", 2, 1024));
    node1.shutdown("web1", Duration.ofMinutes(1));

    assertThat(failure(node1.start("web1")).kind()).isEqualTo(Kind.TRANSIENT);
  }

  @Test
  void undefineRefusesAnActiveDomainAndIsIdempotentWhenMissing() {
    lab.run(node1, spec("web1", 2, 1024));

    var e = failure(node1.undefine("web1", true));
    assertThat(e.kind()).isEqualTo(Kind.REJECTED);
    assertThat(e.getMessage()).contains("RUNNING");
    join(node1.destroy("web1"));
    join(node1.undefine("web1", true));
    join(node1.undefine("web1", true));
    assertThat(join(node1.domains())).isEmpty();
    assertThat(lab.eventKinds("web1")).endsWith(DomainEvent.Kind.UNDEFINED);
  }

  @Test
  void rebootTakesTheShutdownAndBootTimesAndKeepsTheDomainRunning() {
    lab.run(node1, spec("web1", 2, 1024));
    CompletionStage<Void> reboot = node1.reboot("web1", Duration.ofSeconds(30));

    lab.advance(Duration.ofSeconds(29));
    assertThat(done(reboot)).isFalse();
    assertThat(lab.state(node1, "web1")).isEqualTo(DomainState.RUNNING);
    lab.advance(Duration.ofSeconds(1));
    join(reboot);
    join(node1.destroy("web1"));
    assertThat(failure(node1.reboot("web1", Duration.ofSeconds(30))).kind()).as("reboot of a stopped domain").isEqualTo(Kind.REJECTED);
  }

  @Test
  void aRebootTimeoutShorterThanTheShutdownResetsTheGuestWhenItEnds() {
    lab.run(node1, spec("web1", 2, 1024));
    CompletionStage<Void> reboot = node1.reboot("web1", Duration.ofSeconds(2));

    lab.advance(Duration.ofSeconds(21));
    assertThat(done(reboot)).isFalse();
    lab.advance(Duration.ofSeconds(1));
    join(reboot);
    assertThat(lab.state(node1, "web1")).isEqualTo(DomainState.RUNNING);
    assertThat(failure(node1.reboot("web1", Duration.ofSeconds(-1))).kind()).isEqualTo(Kind.REJECTED);
  }

  @Test
  void aClosedConnectionRefusesCallsAndGetsNoEvents() {
    node1.close();

    assertThat(node1.isAlive()).isFalse();
    assertThat(failure(node1.domains()).kind()).isEqualTo(Kind.UNREACHABLE);
    HypervisorConnection other = lab.connect("node1");
    lab.run(other, spec("web1", 1, 512));
    assertThat(lab.events).allMatch(e -> e.domain().equals("web1"));
    assertThat(lab.eventKinds("web1")).containsExactly(DomainEvent.Kind.DEFINED, DomainEvent.Kind.STARTED);
  }
}
