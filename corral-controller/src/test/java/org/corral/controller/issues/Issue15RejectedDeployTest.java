package org.corral.controller.issues;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.corral.controller.ControllerSettings;
import org.corral.controller.command.VmRequest;
import org.corral.controller.executor.ExecutorSettings;
import org.corral.controller.testing.LabHarness;
import org.corral.drivers.sim.SimLatencies;
import org.corral.model.journal.EntryKind;
import org.corral.model.journal.JournalEntry;
import org.corral.model.plan.ActionRecord;
import org.corral.model.plan.ActionStatus;
import org.corral.model.vm.VmState;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, part 1: a VM whose deploy was rejected was never placed again. The scheduler made the
 * same key ({@code deploy/<vm>/<version>}) again and the ledger took the REJECTED record for
 * "already done"; and a queued deploy did not make its VM busy, so every cycle placed every queued
 * VM again. Uses the keys the scheduler really makes.
 */
class Issue15RejectedDeployTest {
  private static final Duration MAX = Duration.ofHours(1);

  private static LabHarness oneDeployAtATime() {
    ExecutorSettings one = new ExecutorSettings(1, 1, 1, 1, 1, ExecutorSettings.DEFAULT.actionTimeout(), 3,
        ExecutorSettings.DEFAULT.backoffBase(), ExecutorSettings.DEFAULT.backoffMax(), ExecutorSettings.DEFAULT.shutdownTimeout(),
        ExecutorSettings.DEFAULT.powerOnTimeout(), ExecutorSettings.DEFAULT.powerOffTimeout(),
        ExecutorSettings.DEFAULT.powerPollInterval(), 1.0, ExecutorSettings.DEFAULT.migration());
    ControllerSettings settings = LabHarness.fastSettings().withExecutor(one);
    LabHarness lab = new LabHarness(2, SimLatencies.DEFAULT, settings);
    lab.startWithInventory();
    return lab;
  }

  @Test
  void aVmWhoseQueuedDeployWasRejectedIsPlacedElsewhere() {
    LabHarness lab = oneDeployAtATime();
    lab.cmd().createVm(VmRequest.of("a", 1, 1024), "t");
    lab.cmd().createVm(VmRequest.of("b", 1, 1024), "t");
    lab.run(Duration.ofSeconds(1));
    // Packing puts both on node01; one deploy at a time, so b waits in the queue behind a.
    assertThat(lab.controller.executor().runningCount()).isEqualTo(1);
    assertThat(lab.controller.executor().isBusy("b")).as("a queued deploy makes its VM busy").isTrue();
    String bKey = lab.controller.executor().activeKey("b").orElseThrow();
    assertThat(bKey).startsWith("deploy/b/");
    lab.cmd().maintenance("node01", true, "t");

    lab.untilVm("b", VmState.RUNNING, MAX);
    assertThat(lab.vm("b").host()).isEqualTo("node02");
    ActionRecord rejected = lab.store.action(bKey).orElseThrow();
    assertThat(rejected.status()).isEqualTo(ActionStatus.REJECTED);
    assertThat(rejected.error()).contains("node01").contains("MAINTENANCE");
    ActionRecord fresh = lab.store.action(bKey + "#1").orElseThrow();
    assertThat(fresh.status()).as("the fresh plan of the same intent runs under key#1").isEqualTo(ActionStatus.SUCCEEDED);
    assertThat(lab.store.actions(ActionStatus.REJECTED, 100)).extracting(ActionRecord::key)
        .as("what the journal calls rejected is findable in the ledger").containsExactly(bKey);
    List<JournalEntry> queued = lab.journal().stream()
        .filter(e -> e.kind() == EntryKind.ACTION_QUEUED && "b".equals(e.subject())).toList();
    assertThat(queued).extracting(JournalEntry::actionKey).as("b is planned twice: once, then after the rejection")
        .containsExactly(bKey, bKey + "#1");
    for (JournalEntry e : queued) {
      assertThat(e.message()).as("the cause is said once, in its own field").isEqualTo("deploy b on " + (e.actionKey().equals(bKey)
          ? "node01" : "node02")).doesNotContain(e.cause().reason());
    }
  }

  @Test
  void aQueuedVmIsNotPlacedAgainEveryCycle() {
    LabHarness lab = oneDeployAtATime();
    for (int i = 0; i < 6; i++) {
      lab.cmd().createVm(VmRequest.of("q" + i, 1, 1024), "t");
    }
    lab.until("all running", () -> lab.controller.state().vms().stream().allMatch(v -> v.state() == VmState.RUNNING), MAX);
    long queuedEntries = lab.journal().stream().filter(e -> e.kind() == EntryKind.ACTION_QUEUED).count();
    assertThat(queuedEntries).as("one deploy per VM, however long it waited in the queue").isEqualTo(6);
    assertThat(lab.controller.scheduling().placements()).as("each VM placed once").isEqualTo(6);
  }

  /** Found in review: an action whose start state is illegal must be rejected, not leave its VM busy for good. */
  @Test
  void anActionWhoseStartIsIllegalIsRejectedAndFreesItsVm() {
    LabHarness lab = new LabHarness(2, SimLatencies.INSTANT);
    lab.startWithInventory();
    lab.controller.guardian().stop(); // this test is about the DOWN host itself, not its recovery
    lab.cmd().createVm(VmRequest.of("u1", 1, 512), "t");
    lab.untilVm("u1", VmState.RUNNING, MAX);
    String host = lab.vm("u1").host();
    lab.dc.partitionHost(host, true);
    lab.untilVm("u1", VmState.UNKNOWN, MAX);
    // UNKNOWN -> STOPPING is not a legal move: the plan is stale by the time it would start.
    String key = lab.controller.executor().submit(new org.corral.model.plan.Action.StopVm("stop/u1/x", "u1", host, false,
        org.corral.model.plan.Cause.of(org.corral.model.plan.Origin.USER, 0, "test")));
    ActionRecord r = lab.store.action(key).orElseThrow();
    assertThat(r.status()).isEqualTo(ActionStatus.REJECTED);
    assertThat(r.error()).as("refused by the state machine when starting").contains("UNKNOWN").contains("STOPPING");
    assertThat(lab.controller.executor().isBusy("u1")).as("the VM is free for the next plan").isFalse();
    assertThat(lab.controller.executor().runningCount()).isZero();
  }
}
