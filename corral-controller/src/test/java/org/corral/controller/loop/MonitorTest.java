package org.corral.controller.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.corral.controller.command.VmRequest;
import org.corral.controller.testing.LabHarness;
import org.corral.drivers.hypervisor.DomainSpec;
import org.corral.drivers.hypervisor.HypervisorConnection;
import org.corral.drivers.sim.SimHypervisorDriver;
import org.corral.drivers.sim.SimLatencies;
import org.corral.drivers.sim.WorkloadModel;
import org.corral.model.host.HostState;
import org.corral.model.journal.EntryKind;
import org.corral.model.vm.VmState;
import org.junit.jupiter.api.Test;

/** The Monitor keeps Corral's picture true to what the hypervisors say. */
class MonitorTest {
  private static final Duration MAX = Duration.ofMinutes(2);

  private static LabHarness labWithVm(String vm) {
    LabHarness lab = new LabHarness(2, SimLatencies.INSTANT);
    lab.startWithInventory();
    lab.controller.guardian().stop(); // the Monitor's own judgements, without the Guardian fencing what goes DOWN
    lab.cmd().createVm(VmRequest.of(vm, 4, 1024), "t");
    lab.untilVm(vm, VmState.RUNNING, MAX);
    return lab;
  }

  private static HypervisorConnection connect(LabHarness lab, String host) {
    return new SimHypervisorDriver(lab.dc).connect(lab.dc.uriOf(host)).toCompletableFuture().join();
  }

  @Test
  void crashedHostGoesSuspectThenDownAndItsVmsUnknown() {
    LabHarness lab = labWithVm("c1");
    String h = lab.vm("c1").host();
    lab.dc.crashHost(h);
    lab.until(h + " SUSPECT", () -> lab.host(h).state() == HostState.SUSPECT, MAX);
    lab.until(h + " DOWN", () -> lab.host(h).state() == HostState.DOWN, MAX);
    assertThat(lab.vm("c1").state()).isEqualTo(VmState.UNKNOWN);
    assertThat(lab.host(h).stateReason()).contains("no answer for 5 beats");
  }

  @Test
  void healedPartitionBringsHostAndVmsBack() {
    LabHarness lab = labWithVm("p1");
    String h = lab.vm("p1").host();
    lab.dc.partitionHost(h, true);
    lab.until(h + " DOWN", () -> lab.host(h).state() == HostState.DOWN, MAX);
    assertThat(lab.vm("p1").state()).isEqualTo(VmState.UNKNOWN);
    lab.dc.partitionHost(h, false);
    lab.until(h + " UP", () -> lab.host(h).state() == HostState.UP, MAX);
    lab.untilVm("p1", VmState.RUNNING, MAX);
  }

  @Test
  void domainStoppedOutsideCorralIsSeenAsStopped() {
    LabHarness lab = labWithVm("s1");
    String h = lab.vm("s1").host();
    connect(lab, h).destroy("s1").toCompletableFuture().join();
    lab.untilVm("s1", VmState.STOPPED, MAX);
    assertThat(lab.vm("s1").stateReason()).contains("outside Corral");
  }

  @Test
  void unknownDomainIsAdoptedNotRecreated() {
    LabHarness lab = labWithVm("x1");
    HypervisorConnection c = connect(lab, "node02");
    c.define(new DomainSpec("legacy", "0f6c9f0e-1111-2222-3333-444455556666", 2, 2048, List.of(), List.of(), null))
        .toCompletableFuture().join();
    c.start("legacy").toCompletableFuture().join();
    lab.untilVm("legacy", VmState.RUNNING, MAX);
    assertThat(lab.vm("legacy").owner()).isEqualTo("adopted");
    assertThat(lab.vm("legacy").host()).isEqualTo("node02");
    assertThat(lab.vm("legacy").uuid()).isEqualTo("0f6c9f0e-1111-2222-3333-444455556666");
    assertThat(lab.dc.host("node02").orElseThrow().domainNames()).containsOnlyOnce("legacy");
  }

  @Test
  void utilisationIsTheSumOfDomainCpuOverTheHostsCores() {
    LabHarness lab = labWithVm("u1"); // 4 vCPUs on an 8-core host
    lab.dc.setWorkload("u1", WorkloadModel.constant(0.5));
    lab.run(Duration.ofSeconds(15));
    String h = lab.vm("u1").host();
    assertThat(lab.controller.state().metrics(h).cpuUtilisation()).isCloseTo(0.25, org.assertj.core.data.Offset.offset(0.01));
    String other = h.equals("node01") ? "node02" : "node01";
    assertThat(lab.controller.state().metrics(other).cpuUtilisation()).isZero();
  }

  /**
   * Corral's defaults: full reads every 5 s, a beat every 1 s; a crashed host is SUSPECT after 3
   * missed beats and DOWN after 5, whichever moment between two beats it crashed at.
   */
  @Test
  void withTheDefaultsACrashedHostIsSuspectAfterThreeMissedBeatsAndDownAfterFive() {
    for (long offsetMs : new long[] {0, 300, 999}) {
      LabHarness lab = new LabHarness(2, SimLatencies.INSTANT, org.corral.controller.ControllerSettings.DEFAULT);
      lab.startWithInventory();
      lab.controller.guardian().stop();
      lab.run(Duration.ofSeconds(20).plusMillis(offsetMs));
      int fullReads = lab.controller.state().observation("node01").memory().size();
      lab.run(Duration.ofSeconds(20));
      assertThat(lab.controller.state().observation("node01").memory().size() - fullReads)
          .as("full reads in 20 s at a 5 s Monitor period (the beats between them read nothing)").isBetween(3, 5);
      java.time.Instant crash = lab.clock.now();
      lab.dc.crashHost("node01");
      lab.until("node01 SUSPECT", () -> lab.host("node01").state() == HostState.SUSPECT, MAX);
      Duration suspect = Duration.between(crash, lab.clock.now());
      lab.until("node01 DOWN", () -> lab.host("node01").state() == HostState.DOWN, MAX);
      Duration down = Duration.between(crash, lab.clock.now());
      assertThat(suspect).as("crash → SUSPECT, crashed %d ms after a beat", offsetMs)
          .isBetween(Duration.ofSeconds(2), Duration.ofSeconds(3));
      assertThat(down).as("crash → DOWN, crashed %d ms after a beat", offsetMs)
          .isBetween(Duration.ofSeconds(4), Duration.ofSeconds(5));
      assertThat(lab.host("node01").stateReason()).startsWith("no answer for 5 beats");
    }
  }

  /** A host that hangs (its reads never return) misses its beats as surely as one that refuses them. */
  @Test
  void aHostThatHangsMissesItsBeats() {
    java.util.concurrent.atomic.AtomicBoolean hang = new java.util.concurrent.atomic.AtomicBoolean();
    LabHarness lab = new LabHarness(2, SimLatencies.INSTANT, org.corral.controller.ControllerSettings.DEFAULT);
    lab.hypervisorWrapper = real -> new org.corral.controller.testing.SlowReads(real, lab.clock, Duration.ZERO,
        uri -> hang.get() && uri.endsWith("/node01"));
    lab.startWithInventory();
    lab.controller.guardian().stop();
    lab.run(Duration.ofSeconds(12));
    java.time.Instant cut = lab.clock.now();
    hang.set(true);
    lab.until("node01 DOWN", () -> lab.host("node01").state() == HostState.DOWN, MAX);
    assertThat(Duration.between(cut, lab.clock.now())).as("hang → DOWN").isLessThanOrEqualTo(Duration.ofSeconds(6));
    assertThat(lab.host("node01").stateReason()).contains("did not finish within");
    hang.set(false);
    lab.until("node01 UP", () -> lab.host("node01").state() == HostState.UP, MAX);
  }

  /**
   * A host that was fenced and powered on again is asked afresh: the beats it missed before its
   * power was cut do not count. (bench/faults seed 8295 showed rejoined hosts judged DOWN on stale
   * misses a second after coming UP, after a partition; its replay no longer does. This simpler
   * crash case passed before that fix too: it guards the behaviour, it did not reproduce it.)
   */
  @Test
  void aFencedHostThatRejoinsIsNotJudgedOnTheBeatsItMissedBefore() {
    LabHarness lab = new LabHarness(3, SimLatencies.INSTANT, org.corral.controller.ControllerSettings.DEFAULT);
    lab.startWithInventory();
    lab.run(Duration.ofSeconds(12));
    lab.dc.crashHost("node01");
    lab.until("node01 fenced", () -> lab.journal().stream().anyMatch(e -> "node01".equals(e.subject()) && "FENCED".equals(e.to())),
        MAX);
    lab.until("node01 UP again", () -> lab.host("node01").state() == HostState.UP, MAX);
    long rejoined = lab.store.lastSeq();
    lab.run(Duration.ofSeconds(30));
    assertThat(lab.journal()).filteredOn(e -> e.seq() > rejoined && "node01".equals(e.subject()) && e.to() != null)
        .as("node01's states after it rejoined").isEmpty();
    assertThat(lab.controller.state().observation("node01").silentPolls()).isZero();
  }

  @Test
  void aConvergedSystemWritesNothing() {
    LabHarness lab = labWithVm("q1");
    lab.cmd().createVm(VmRequest.of("q2", 1, 512), "t");
    lab.untilVm("q2", VmState.RUNNING, MAX);
    lab.run(Duration.ofSeconds(5));
    long seq = lab.store.lastSeq();
    lab.run(Duration.ofMinutes(10));
    assertThat(lab.store.lastSeq()).as("journal entries written by 10 idle minutes").isEqualTo(seq);
    assertThat(lab.journal()).noneMatch(e -> e.kind() == EntryKind.ACTION_FAILED);
  }

  @Test
  void aHostInErrorIsRetriedLessAndLessOftenAndComesBackWhenItAnswers() {
    LabHarness lab = new LabHarness(2, SimLatencies.INSTANT);
    java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
    lab.hypervisorWrapper = real -> new org.corral.drivers.hypervisor.HypervisorDriver() {
      @Override
      public java.util.Set<String> schemes() {
        return real.schemes();
      }

      @Override
      public java.util.concurrent.CompletionStage<HypervisorConnection> connect(String uri) {
        if (uri.endsWith("/node02")) {
          attempts.incrementAndGet();
        }
        return real.connect(uri);
      }
    };
    lab.dc.partitionHost("node02", true); // never answers from the start: ERROR, not SUSPECT
    lab.startWithInventory();
    lab.until("node02 ERROR", () -> lab.host("node02").state() == HostState.ERROR, MAX);
    attempts.set(0);
    lab.run(Duration.ofMinutes(10));
    // Every second for 10 minutes would be 600; backing off 1, 2, 4 ... 256 s, then 5 min, is about 10.
    assertThat(attempts.get()).isBetween(3, 14);
    lab.dc.partitionHost("node02", false);
    lab.until("node02 UP", () -> lab.host("node02").state() == HostState.UP, Duration.ofMinutes(6));
  }

  @Test
  void aHypervisorThatHangsIsASilentPollNotAHostPolledNeverAgain() {
    java.util.concurrent.atomic.AtomicBoolean hang = new java.util.concurrent.atomic.AtomicBoolean();
    LabHarness lab = new LabHarness(2, SimLatencies.INSTANT);
    lab.hypervisorWrapper = real -> new org.corral.controller.testing.SlowReads(real, lab.clock, Duration.ZERO,
        uri -> hang.get() && uri.endsWith("/node02"));
    lab.startWithInventory();
    lab.controller.guardian().stop(); // the Monitor's own judgements, without the Guardian fencing what goes DOWN
    assertThat(lab.host("node02").state()).isEqualTo(HostState.UP);
    hang.set(true); // libvirtd on node02 accepts the call and never answers
    lab.until("node02 SUSPECT", () -> lab.host("node02").state() == HostState.SUSPECT, Duration.ofMinutes(2));
    assertThat(lab.host("node02").stateReason()).contains("did not finish within");
    lab.until("node02 DOWN", () -> lab.host("node02").state() == HostState.DOWN, Duration.ofMinutes(5));
    hang.set(false);
    lab.until("node02 UP again", () -> lab.host("node02").state() == HostState.UP, Duration.ofMinutes(2));
  }

  @Test
  void manyHostsAreReadAFewAtATimeAndAllStillAnswer() {
    LabHarness lab = new LabHarness(150, SimLatencies.INSTANT);
    lab.hypervisorWrapper = real -> new org.corral.controller.testing.SlowReads(real, lab.clock, Duration.ofMillis(300), uri -> false);
    lab.startWithInventory();
    lab.run(Duration.ofSeconds(20));
    assertThat(lab.controller.monitor().peakPolls()).as("polls in flight at once").isEqualTo(Monitor.MAX_CONCURRENT_POLLS);
    assertThat(lab.controller.state().hosts()).allSatisfy(h -> assertThat(h.state()).isEqualTo(HostState.UP));
    assertThat(lab.controller.state().hosts()).allSatisfy(h ->
        assertThat(lab.controller.state().observation(h.name()).answers()).as(h.name()).isGreaterThan(5));
  }
}
