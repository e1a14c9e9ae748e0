package org.corral.controller.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.corral.controller.command.VmRequest;
import org.corral.controller.testing.LabHarness;
import org.corral.drivers.hypervisor.MigrationOptions;
import org.corral.drivers.sim.SimLatencies;
import org.corral.model.ConflictException;
import org.corral.model.host.HostState;
import org.corral.model.journal.EntryKind;
import org.corral.model.journal.JournalEntry;
import org.corral.model.plan.Action;
import org.corral.model.plan.Cause;
import org.corral.model.plan.Origin;
import org.corral.model.plan.Plan;
import org.corral.model.vm.VmState;
import org.junit.jupiter.api.Test;

/** Limits, retries, timeouts, idempotency and rejection, through the real executor on the sim. */
class ExecutorTest {
  private static final Duration MAX = Duration.ofMinutes(5);

  @Test
  void neverRunsMoreThanThePerHostLimit() {
    LabHarness lab = new LabHarness(1, SimLatencies.DEFAULT);
    lab.startWithInventory();
    for (int i = 1; i <= 8; i++) { // the host has 8 cores: all fit, 4 deploy at a time
      lab.cmd().createVm(VmRequest.of("v" + i, 1, 512), "t");
    }
    int peak = 0;
    for (int s = 0; s < 120; s++) {
      lab.run(Duration.ofSeconds(1));
      int running = lab.controller.executor().runningCount();
      assertThat(running).isLessThanOrEqualTo(ExecutorSettings.DEFAULT.maxPerHost());
      peak = Math.max(peak, running);
    }
    assertThat(peak).isEqualTo(ExecutorSettings.DEFAULT.maxPerHost());
    assertThat(lab.controller.state().vms()).allMatch(v -> v.state() == VmState.RUNNING);
  }

  @Test
  void transientFailureIsRetriedWithBackoffThenSucceeds() {
    LabHarness lab = new LabHarness(2, SimLatencies.DEFAULT);
    lab.startWithInventory();
    lab.cmd().createVm(VmRequest.of("m1", 1, 1024), "t");
    lab.untilVm("m1", VmState.RUNNING, MAX);
    String from = lab.vm("m1").host();
    String to = from.equals("node01") ? "node02" : "node01";
    lab.dc.failNextMigrations("m1", 1);
    lab.cmd().migrateVm("m1", to, "t");
    lab.until("m1 on " + to, () -> lab.vm("m1").state() == VmState.RUNNING && to.equals(lab.vm("m1").host()), MAX);
    List<JournalEntry> retries = lab.journal().stream().filter(e -> e.kind() == EntryKind.ACTION_RETRYING).toList();
    assertThat(retries).singleElement().satisfies(e -> assertThat(e.message()).contains("attempt 1 failed").contains("retrying in"));
    assertThat(lab.journal()).filteredOn(e -> e.kind() == EntryKind.ACTION_SUCCEEDED && "m1".equals(e.subject())
        && e.actionKey().startsWith("migrate/")).hasSize(1);
  }

  @Test
  void persistentFailureFailsAfterMaxAttemptsAndLeavesTheVmWhereItWas() {
    LabHarness lab = new LabHarness(2, SimLatencies.DEFAULT);
    lab.startWithInventory();
    lab.cmd().createVm(VmRequest.of("m2", 1, 1024), "t");
    lab.untilVm("m2", VmState.RUNNING, MAX);
    String from = lab.vm("m2").host();
    String to = from.equals("node01") ? "node02" : "node01";
    lab.dc.failNextMigrations("m2", 10);
    lab.cmd().migrateVm("m2", to, "t");
    lab.until("migration failed", () -> lab.journal().stream().anyMatch(e -> e.kind() == EntryKind.ACTION_FAILED), MAX);
    assertThat(lab.journal()).filteredOn(e -> e.kind() == EntryKind.ACTION_RETRYING).hasSize(ExecutorSettings.DEFAULT.maxAttempts() - 1);
    assertThat(lab.vm("m2").state()).isEqualTo(VmState.RUNNING);
    assertThat(lab.vm("m2").host()).isEqualTo(from);
    assertThat(lab.vm("m2").stateReason()).contains("migration to " + to + " failed");
    assertThat(lab.dc.host(from).orElseThrow().domainNames()).contains("m2");
  }

  @Test
  void migrationThatOutlastsItsTimeoutIsAbortedAndTheVmStays() {
    ExecutorSettings s = ExecutorSettings.DEFAULT;
    ExecutorSettings tight = new ExecutorSettings(s.maxConcurrent(), s.maxPerHost(), s.maxMigrations(), s.maxMigrationsPerHost(),
        s.maxPowerActions(), s.actionTimeout(), 1, s.backoffBase(), s.backoffMax(), s.shutdownTimeout(), s.powerOnTimeout(),
        s.powerOffTimeout(), s.powerPollInterval(), 1.0, new MigrationOptions(0, true, Duration.ofSeconds(5)));
    LabHarness lab = new LabHarness(2, SimLatencies.DEFAULT, LabHarness.fastSettings().withExecutor(tight));
    lab.startWithInventory();
    lab.cmd().createVm(VmRequest.of("big", 2, 16384), "t"); // 2 s + 16.4 s of copying at 1000 MiB/s
    lab.untilVm("big", VmState.RUNNING, MAX);
    String from = lab.vm("big").host();
    lab.cmd().migrateVm("big", from.equals("node01") ? "node02" : "node01", "t");
    lab.until("migration failed", () -> lab.journal().stream().anyMatch(e -> e.kind() == EntryKind.ACTION_FAILED), MAX);
    JournalEntry failed = lab.journal().stream().filter(e -> e.kind() == EntryKind.ACTION_FAILED).findFirst().orElseThrow();
    assertThat(failed.message()).contains("did not finish within").contains("still runs on " + from);
    assertThat(lab.vm("big").host()).isEqualTo(from);
    lab.run(Duration.ofSeconds(30));
    assertThat(lab.dc.host(from).orElseThrow().domainNames()).contains("big");
    assertThat(lab.vm("big").state()).isEqualTo(VmState.RUNNING);
  }

  @Test
  void theSameKeyIsNeverRunTwice() {
    LabHarness lab = new LabHarness(1, SimLatencies.INSTANT);
    lab.startWithInventory();
    lab.cmd().createVm(new VmRequest("i1", 1, 512L, null, null, null, null, null, null, null, null, null, null, null, true), "t");
    lab.cmd().releaseVm("i1", "t");
    Action.DeployVm a = new Action.DeployVm("deploy/i1/manual", "i1", "node01", Cause.of(Origin.USER, 0, "test"));
    Executor ex = lab.controller.executor();
    List<String> first = ex.submit(Plan.of(Origin.USER, 0, List.of(a)));
    List<String> second = ex.submit(Plan.of(Origin.USER, 0, List.of(a)));
    lab.run(Duration.ofSeconds(5));
    List<String> third = ex.submit(Plan.of(Origin.USER, 0, List.of(a)));
    assertThat(first).containsExactly("deploy/i1/manual");
    assertThat(second).isEmpty();
    assertThat(third).isEmpty();
    assertThat(lab.journal()).filteredOn(e -> "deploy/i1/manual".equals(e.actionKey()) && e.kind() == EntryKind.ACTION_STARTED).hasSize(1);
  }

  @Test
  void staleActionIsRejectedWithItsReasonAndNothingIsDone() {
    LabHarness lab = new LabHarness(2, SimLatencies.INSTANT);
    lab.startWithInventory();
    lab.cmd().createVm(new VmRequest("s1", 1, 512L, null, null, null, null, null, null, null, null, null, null, null, true), "t");
    lab.cmd().maintenance("node01", true, "t");
    lab.cmd().releaseVm("s1", "t");
    // A plan made before node01 entered maintenance arrives late.
    lab.controller.executor().submit(new Action.DeployVm("deploy/s1/stale", "s1", "node01", Cause.of(Origin.SCHEDULER, 1, "old plan")));
    JournalEntry rejected = lab.journal().stream().filter(e -> e.kind() == EntryKind.ACTION_REJECTED).findFirst().orElseThrow();
    assertThat(rejected.message()).contains("node01").contains("MAINTENANCE");
    lab.untilVm("s1", VmState.RUNNING, MAX);
    assertThat(lab.vm("s1").host()).isEqualTo("node02");
    assertThat(lab.dc.host("node01").orElseThrow().domainNames()).isEmpty();
  }

  @Test
  void emptyHostIsPoweredOffAndOnAgain() {
    LabHarness lab = new LabHarness(2, SimLatencies.DEFAULT);
    lab.startWithInventory();
    lab.cmd().createVm(VmRequest.of("keep", 1, 512), "t");
    lab.untilVm("keep", VmState.RUNNING, MAX);
    String busy = lab.vm("keep").host();
    String idle = busy.equals("node01") ? "node02" : "node01";
    assertThatThrownBy(() -> lab.cmd().powerOff(busy, "t")).isInstanceOf(ConflictException.class).hasMessageContaining("VM");

    lab.cmd().powerOff(idle, "t");
    assertThat(lab.host(idle).state()).isEqualTo(HostState.POWERING_OFF);
    lab.until(idle + " OFF", () -> lab.host(idle).state() == HostState.OFF, MAX);
    assertThat(lab.dc.host(idle).orElseThrow().power().chassisOn()).isFalse();
    double offEnergy = lab.dc.energyJoules(idle);
    lab.run(Duration.ofMinutes(10));
    assertThat(lab.dc.energyJoules(idle) - offEnergy).as("an off host draws only its standby power").isLessThan(1.0);

    lab.cmd().powerOn(idle, "t");
    lab.until(idle + " UP", () -> lab.host(idle).state() == HostState.UP, MAX);
    assertThat(lab.journal()).filteredOn(e -> idle.equals(e.subject()) && e.kind() == EntryKind.STATE_CHANGED)
        .extracting(e -> e.from() + "->" + e.to())
        .containsSubsequence("UP->POWERING_OFF", "POWERING_OFF->OFF", "OFF->POWERING_ON", "POWERING_ON->UP");
  }

  @Test
  void downHostIsFencedAndItsPowerConfirmedOff() {
    LabHarness lab = new LabHarness(2, SimLatencies.DEFAULT);
    lab.startWithInventory();
    lab.controller.guardian().stop(); // the step alone, as the Guardian would submit it
    lab.dc.partitionHost("node02", true);
    lab.until("node02 DOWN", () -> lab.host("node02").state() == HostState.DOWN, MAX);
    lab.controller.executor().submit(new Action.FenceHost("fence/node02/1", "node02", Cause.of(Origin.GUARDIAN, 1, "test")));
    lab.until("node02 FENCED", () -> lab.host("node02").state() == HostState.FENCED, MAX);
    assertThat(lab.dc.host("node02").orElseThrow().power().chassisOn()).isFalse();
  }

  @Test
  void powerOnThroughABmcThatNeverAnswersEndsInErrorWithTheReason() {
    LabHarness lab = new LabHarness(2, SimLatencies.DEFAULT);
    lab.startWithInventory();
    lab.cmd().powerOff("node02", "t");
    lab.until("node02 OFF", () -> lab.host("node02").state() == HostState.OFF, MAX);
    lab.dc.setBmcReachable("node02", false);
    lab.cmd().powerOn("node02", "t");
    lab.until("node02 ERROR", () -> lab.host("node02").state() == HostState.ERROR, Duration.ofMinutes(30));
    assertThat(lab.host("node02").stateReason()).startsWith("power-on failed").contains("BMC").contains("does not answer");
    assertThat(lab.controller.executor().runningCount()).isZero();
  }

  @Test
  void hostThatNeverComesBackAfterPowerOnTimesOutWithoutBlockingOthers() {
    LabHarness lab = new LabHarness(3, SimLatencies.DEFAULT);
    lab.startWithInventory();
    lab.cmd().powerOff("node03", "t");
    lab.until("node03 OFF", () -> lab.host("node03").state() == HostState.OFF, MAX);
    lab.dc.partitionHost("node03", true); // powers on, but its hypervisor will never answer
    lab.cmd().powerOn("node03", "t");
    // Meanwhile other work goes on.
    lab.cmd().createVm(VmRequest.of("meanwhile", 1, 512), "t");
    lab.untilVm("meanwhile", VmState.RUNNING, MAX);
    assertThat(lab.host("node03").state()).isEqualTo(HostState.POWERING_ON);
    lab.until("node03 ERROR", () -> lab.host("node03").state() == HostState.ERROR, Duration.ofHours(2));
    assertThat(lab.host("node03").stateReason()).contains("did not answer within 10min");
  }
}
