package org.corral.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.corral.controller.command.VmRequest;
import org.corral.controller.store.JdbcStore;
import org.corral.controller.testing.LabHarness;
import org.corral.drivers.sim.SimLatencies;
import org.corral.model.journal.EntryKind;
import org.corral.model.journal.JournalEntry;
import org.corral.model.vm.VmState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller is killed in the middle of a plan (deploys defined but not yet started, a live
 * migration half done) and restarted on the same H2 database while the lab keeps running. It must
 * converge with no VM forgotten, none started twice and no action repeated.
 */
class CrashRecoveryTest {
  @TempDir
  Path dir;

  @Test
  void killedMidDeployRestartsAndConvergesWithoutDuplicates() {
    LabHarness lab = new LabHarness(4, SimLatencies.DEFAULT);
    lab.start(JdbcStore.h2File(dir));
    lab.addInventory();
    for (int i = 1; i <= 6; i++) {
      lab.cmd().createVm(VmRequest.of("vm" + i, 2, 4096), "t");
    }
    // define takes 1 s, boot 20 s: after 3 s every deploy is in flight (BOOTING, start running).
    lab.run(Duration.ofSeconds(3));
    Map<String, VmState> before = new HashMap<>();
    lab.controller.state().vms().forEach(v -> before.put(v.name(), v.state()));
    assertThat(before.values()).contains(VmState.BOOTING);
    assertThat(before.values()).doesNotContain(VmState.RUNNING);

    lab.kill();
    lab.store.close();
    lab.run(Duration.ofSeconds(30)); // the lab goes on: the starts complete while no controller runs

    lab.start(JdbcStore.h2File(dir));
    lab.until("all running", () -> lab.controller.state().vms().stream().allMatch(v -> v.state() == VmState.RUNNING), Duration.ofMinutes(2));
    lab.run(Duration.ofSeconds(10));

    assertThat(lab.controller.state().vms()).hasSize(6);
    assertNoDuplicates(lab);
    List<JournalEntry> j = lab.journal();
    assertThat(j).filteredOn(e -> e.kind() == EntryKind.ACTION_RESUMED).hasSize(6);
    assertThat(j).filteredOn(e -> e.kind() == EntryKind.CONTROLLER_STARTED).hasSize(2);
  }

  @Test
  void killedMidMigrationFindsTheVmWhereverItLanded() {
    LabHarness lab = new LabHarness(2, SimLatencies.DEFAULT);
    lab.start(JdbcStore.h2File(dir));
    lab.addInventory();
    lab.cmd().createVm(VmRequest.of("mig", 2, 8192), "t");
    lab.untilVm("mig", VmState.RUNNING, Duration.ofMinutes(1));
    String from = lab.vm("mig").host();
    String to = from.equals("node01") ? "node02" : "node01";
    lab.cmd().migrateVm("mig", to, "t");
    lab.run(Duration.ofSeconds(3)); // 2 s base + 8 s of copying: half way
    assertThat(lab.vm("mig").state()).isEqualTo(VmState.MIGRATING);

    lab.kill();
    lab.store.close();
    lab.run(Duration.ofSeconds(30));

    lab.start(JdbcStore.h2File(dir));
    lab.until("mig settled", () -> lab.vm("mig").state() == VmState.RUNNING, Duration.ofMinutes(2));
    lab.run(Duration.ofSeconds(10));
    String where = lab.vm("mig").host();
    assertThat(lab.dc.host(where).orElseThrow().domainNames()).contains("mig");
    assertNoDuplicates(lab);
  }

  @Test
  void queuedActionsSurviveARestartAndRunOnce() {
    LabHarness lab = new LabHarness(1, SimLatencies.DEFAULT);
    lab.start(JdbcStore.h2File(dir));
    lab.addInventory();
    // maxPerHost is 4: with 7 VMs on one host, 3 deploys wait in the queue.
    for (int i = 1; i <= 7; i++) {
      lab.cmd().createVm(VmRequest.of("q" + i, 1, 1024), "t");
    }
    lab.run(Duration.ofSeconds(2));
    assertThat(lab.controller.executor().queuedCount()).isEqualTo(3);
    lab.kill();
    lab.store.close();
    lab.start(JdbcStore.h2File(dir));
    lab.until("all running", () -> lab.controller.state().vms().stream().allMatch(v -> v.state() == VmState.RUNNING), Duration.ofMinutes(3));
    assertNoDuplicates(lab);
  }

  /** Every VM's domain exists on exactly one host, and no action key was started twice. */
  private static void assertNoDuplicates(LabHarness lab) {
    Map<String, Long> domains = lab.dc.hosts().stream().flatMap(h -> h.domainNames().stream())
        .collect(Collectors.groupingBy(n -> n, Collectors.counting()));
    lab.controller.state().vms().forEach(v -> assertThat(domains.get(v.name())).as("copies of " + v.name()).isEqualTo(1L));
    Map<String, Long> starts = lab.journal().stream().filter(e -> e.kind() == EntryKind.ACTION_STARTED)
        .collect(Collectors.groupingBy(JournalEntry::actionKey, Collectors.counting()));
    assertThat(starts.values()).as("ACTION_STARTED per key").allMatch(n -> n == 1L);
    Map<String, Long> deploysPerVm = lab.journal().stream().filter(e -> e.kind() == EntryKind.ACTION_STARTED && e.actionKey().startsWith("deploy/"))
        .collect(Collectors.groupingBy(JournalEntry::subject, Collectors.counting()));
    assertThat(deploysPerVm.values()).as("deploys per VM").allMatch(n -> n == 1L);
  }
}
