package org.corral.controller.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.assertj.core.data.Offset;
import org.corral.controller.command.HostRequest;
import org.corral.controller.command.VmRequest;
import org.corral.controller.testing.LabHarness;
import org.corral.drivers.sim.SimLatencies;
import org.corral.drivers.sim.WorkloadModel;
import org.corral.model.host.HostCapacity;
import org.corral.model.host.HostState;
import org.corral.model.host.PowerModel;
import org.corral.model.host.PowerSpec;
import org.corral.model.snapshot.HostObservation;
import org.corral.model.snapshot.Snapshot;
import org.corral.model.snapshot.VmObservation;
import org.corral.model.vm.VmState;
import org.junit.jupiter.api.Test;

/** Issue 15 part 4: what the Monitor observes is in the snapshot; liveness is judged from it. */
class ObservationsTest {
  private static final Duration MAX = Duration.ofMinutes(5);

  @Test
  void theSnapshotCarriesHostAndVmUtilisationHistories() {
    LabHarness lab = new LabHarness(2, SimLatencies.INSTANT);
    lab.startWithInventory();
    lab.cmd().createVm(VmRequest.of("w1", 4, 2048), "t"); // 4 vCPUs on an 8-core, 32 GiB host
    lab.untilVm("w1", VmState.RUNNING, MAX);
    lab.dc.setWorkload("w1", WorkloadModel.constant(0.5));
    lab.run(Duration.ofSeconds(20)); // 1 s polls: more than the 12 samples kept

    Snapshot s = lab.controller.state().snapshot(1, 1);
    String host = s.vm("w1").host();
    HostObservation h = s.observation(host);
    assertThat(h.answered()).isTrue();
    assertThat(h.silentPolls()).isZero();
    assertThat(h.lastError()).isNull();
    assertThat(h.cpu().size()).as("the last 12 samples, for regression-based detectors").isEqualTo(12);
    assertThat(h.cpu().last()).as("2 busy vCPUs of 8 cores").isCloseTo(0.25, Offset.offset(0.01));
    assertThat(h.memory().last()).as("2 GiB of 32 GiB").isCloseTo(2048.0 / 32768, Offset.offset(1e-9));
    assertThat(s.metrics(host).cpuUtilisation()).isCloseTo(0.25, Offset.offset(0.01));

    VmObservation vm = s.vmObservation("w1");
    assertThat(vm).isNotNull();
    assertThat(vm.host()).isEqualTo(host);
    assertThat(vm.memoryMib()).isEqualTo(2048);
    assertThat(vm.cpu().size()).isEqualTo(12);
    assertThat(vm.cpu().last()).as("half of its own 4 vCPUs").isCloseTo(0.5, Offset.offset(0.01));

    lab.cmd().deleteVm("w1", "t");
    lab.until("w1 gone", () -> lab.controller.state().vm("w1").isEmpty(), MAX);
    assertThat(lab.controller.state().snapshot(2, 2).vmObservation("w1")).as("forgotten with the VM").isNull();
  }

  @Test
  void aVmsHistoryFollowsItAcrossALiveMigration() {
    LabHarness lab = new LabHarness(2, SimLatencies.INSTANT);
    lab.startWithInventory();
    lab.cmd().createVm(VmRequest.of("m1", 2, 1024), "t");
    lab.untilVm("m1", VmState.RUNNING, MAX);
    lab.dc.setWorkload("m1", WorkloadModel.constant(0.5));
    lab.run(Duration.ofSeconds(8));
    String from = lab.vm("m1").host();
    String to = from.equals("node01") ? "node02" : "node01";
    int before = lab.controller.state().snapshot(1, 1).vmObservation("m1").cpu().size();
    lab.cmd().migrateVm("m1", to, "t");
    lab.until("m1 on " + to, () -> to.equals(lab.vm("m1").host()) && lab.vm("m1").state() == VmState.RUNNING, MAX);
    lab.run(Duration.ofSeconds(3));
    VmObservation after = lab.controller.state().snapshot(2, 2).vmObservation("m1");
    assertThat(after.host()).isEqualTo(to);
    assertThat(after.cpu().size()).as("the samples taken on %s are kept", from).isGreaterThan(before);
  }

  @Test
  void snapshotsShareStateAndAnOldOneNeverChanges() {
    LabHarness lab = new LabHarness(1, SimLatencies.INSTANT);
    lab.startWithInventory();
    Snapshot before = lab.controller.state().snapshot(1, 1);
    lab.cmd().createVm(VmRequest.of("late", 1, 512), "t");
    lab.run(Duration.ofSeconds(3));
    assertThat(before.vms()).as("taken before the VM existed").doesNotContainKey("late");
    assertThat(before.observation("node01").cpu().size()).isLessThan(lab.controller.state().observation("node01").cpu().size());
    assertThat(lab.controller.state().snapshot(2, 2).vms()).containsKey("late");
  }

  @Test
  void silencesAreObservedAndJudgedByTheLivenessPolicy() {
    LabHarness lab = new LabHarness(2, SimLatencies.INSTANT);
    lab.startWithInventory();
    lab.controller.guardian().stop(); // the Monitor's own judgements, without the Guardian fencing what goes DOWN
    lab.dc.partitionHost("node02", true);
    lab.run(lab.controller.settings().beat().multipliedBy(lab.controller.settings().guardian().suspectAfter() + 1));
    HostObservation o = lab.controller.state().observation("node02");
    assertThat(o.silentPolls()).isGreaterThanOrEqualTo(1);
    assertThat(o.lastError()).contains("node02");
    assertThat(lab.host("node02").state()).isIn(HostState.SUSPECT, HostState.DOWN);
    lab.until("node02 DOWN", () -> lab.host("node02").state() == HostState.DOWN, MAX);
    assertThat(lab.controller.state().observation("node02").silentPolls())
        .as("DOWN after downAfter missed beats").isGreaterThanOrEqualTo(lab.controller.settings().guardian().downAfter());
    lab.dc.partitionHost("node02", false);
    lab.until("node02 UP", () -> lab.host("node02").state() == HostState.UP, MAX);
    assertThat(lab.controller.state().observation("node02").silentPolls()).isZero();
  }

  @Test
  void aHostIsNotPlaceableUntilItsHypervisorHasAnswered() {
    LabHarness lab = new LabHarness(2, SimLatencies.INSTANT);
    lab.startWithInventory();
    // node03 exists in the lab but is cut off before Corral ever reaches it.
    lab.dc.addHost("node03", new HostCapacity(64, 2600, 262144), PowerModel.linear(100, 250), true);
    lab.dc.partitionHost("node03", true);
    lab.cmd().addHost(new HostRequest("node03", lab.dc.uriOf("node03"), new HostCapacity(64, 2600, 262144), null,
        new PowerSpec(lab.dc.uriOf("node03"), null, null), null), "t");
    // Four VMs too big for node01/node02 (32 GiB): only node03 could take them.
    for (int i = 0; i < 4; i++) {
      lab.cmd().createVm(VmRequest.of("big" + i, 1, 65536), "t");
    }
    lab.run(Duration.ofSeconds(30));
    for (int i = 0; i < 4; i++) {
      assertThat(lab.vm("big" + i).state()).as("never placed on a host nobody has checked").isEqualTo(VmState.PENDING);
    }
    assertThat(lab.dc.host("node03").orElseThrow().domainNames()).isEmpty();
    lab.dc.partitionHost("node03", false);
    lab.until("node03 answers", () -> lab.host("node03").state() == HostState.UP, Duration.ofMinutes(10));
    for (int i = 0; i < 4; i++) {
      lab.untilVm("big" + i, VmState.RUNNING, MAX);
      assertThat(lab.vm("big" + i).host()).isEqualTo("node03");
    }
  }
}
