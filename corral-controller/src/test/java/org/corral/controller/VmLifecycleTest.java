package org.corral.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.corral.controller.command.VmRequest;
import org.corral.controller.testing.LabHarness;
import org.corral.drivers.sim.SimLatencies;
import org.corral.model.ConflictException;
import org.corral.model.IllegalTransitionException;
import org.corral.model.InvalidInputException;
import org.corral.model.NotFoundException;
import org.corral.model.journal.EntryKind;
import org.corral.model.journal.JournalEntry;
import org.corral.model.plan.Origin;
import org.corral.model.vm.DiskSpec;
import org.corral.model.vm.NicSpec;
import org.corral.model.vm.VmState;
import org.junit.jupiter.api.Test;

/** A VM's whole life through the real controller on a simulated lab, on virtual time. */
class VmLifecycleTest {
  private static final Duration MAX = Duration.ofMinutes(2);

  private static VmRequest web(String name) {
    return new VmRequest(name, 2, 2048L, List.of(new DiskSpec("debian12", 0)), List.of(new NicSpec("default")),
        null, null, null, null, null, null, null, null, null, null);
  }

  @Test
  void createdVmIsPlacedDefinedStartedAndJournaledWithCauses() {
    LabHarness lab = new LabHarness(3, SimLatencies.DEFAULT);
    lab.startWithInventory();
    lab.cmd().createVm(web("web1"), "alice");
    assertThat(lab.vm("web1").state()).isEqualTo(VmState.PENDING);
    assertThat(lab.vm("web1").leases()).singleElement().satisfies(l -> {
      assertThat(l.ip()).isEqualTo("192.168.100.2");
      assertThat(l.mac()).isEqualTo("52:54:00:01:00:00");
    });
    lab.untilVm("web1", VmState.RUNNING, MAX);
    String host = lab.vm("web1").host();
    assertThat(lab.dc.host(host).orElseThrow().domainNames()).contains("web1");

    List<String> transitions = lab.journal().stream()
        .filter(e -> "web1".equals(e.subject()) && e.kind() == EntryKind.STATE_CHANGED)
        .map(e -> e.from() + "->" + e.to()).toList();
    assertThat(transitions).containsExactly("PENDING->PROVISIONING", "PROVISIONING->BOOTING", "BOOTING->RUNNING");
    JournalEntry started = lab.journal().stream().filter(e -> e.kind() == EntryKind.ACTION_STARTED && "web1".equals(e.subject()))
        .findFirst().orElseThrow();
    assertThat(started.cause().origin()).isEqualTo(Origin.SCHEDULER);
    assertThat(started.cause().reason()).contains(host);
    assertThat(lab.journal()).anyMatch(e -> e.kind() == EntryKind.CREATED && e.cause().reason().contains("alice"));
  }

  @Test
  void stopStartMigrateDelete() {
    LabHarness lab = new LabHarness(3, SimLatencies.DEFAULT);
    lab.startWithInventory();
    lab.cmd().createVm(web("web1"), "alice");
    lab.untilVm("web1", VmState.RUNNING, MAX);
    String from = lab.vm("web1").host();

    lab.cmd().stopVm("web1", false, "alice");
    lab.untilVm("web1", VmState.STOPPED, MAX);
    assertThat(lab.vm("web1").host()).isEqualTo(from);

    lab.cmd().startVm("web1", "alice");
    lab.untilVm("web1", VmState.RUNNING, MAX);

    String to = from.equals("node01") ? "node02" : "node01";
    lab.cmd().migrateVm("web1", to, "alice");
    assertThat(lab.vm("web1").state()).isEqualTo(VmState.MIGRATING);
    lab.until("web1 on " + to, () -> lab.vm("web1").state() == VmState.RUNNING && to.equals(lab.vm("web1").host()), MAX);
    assertThat(lab.dc.host(to).orElseThrow().domainNames()).contains("web1");
    assertThat(lab.dc.host(from).orElseThrow().domainNames()).doesNotContain("web1");

    lab.cmd().deleteVm("web1", "alice");
    lab.until("web1 deleted", () -> lab.controller.state().vm("web1").isEmpty(), MAX);
    assertThat(lab.dc.host(to).orElseThrow().domainNames()).doesNotContain("web1");
    // The lease is free again: a new VM gets the same address.
    lab.cmd().createVm(web("web2"), "alice");
    assertThat(lab.vm("web2").leases().get(0).ip()).isEqualTo("192.168.100.2");
  }

  @Test
  void rebootGoesThroughBootingOnTheSameHostAndIsJournaledWithWhoAsked() {
    LabHarness lab = new LabHarness(3, SimLatencies.DEFAULT);
    lab.startWithInventory();
    lab.cmd().createVm(web("web1"), "alice");
    lab.untilVm("web1", VmState.RUNNING, MAX);
    String host = lab.vm("web1").host();
    long seq = lab.store.lastSeq();

    lab.cmd().rebootVm("web1", "alice");
    assertThatThrownBy(() -> lab.cmd().rebootVm("web1", "alice")).as("one action at a time")
        .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("BOOTING");
    lab.untilVm("web1", VmState.BOOTING, MAX);
    lab.untilVm("web1", VmState.RUNNING, MAX);
    assertThat(lab.vm("web1").host()).isEqualTo(host);
    assertThat(lab.vm("web1").stateReason()).contains("rebooted");
    List<JournalEntry> after = lab.journal().stream().filter(e -> e.seq() > seq && "web1".equals(e.subject())).toList();
    assertThat(after).filteredOn(e -> e.kind() == EntryKind.STATE_CHANGED).extracting(e -> e.from() + "->" + e.to())
        .containsExactly("RUNNING->BOOTING", "BOOTING->RUNNING");
    assertThat(after).filteredOn(e -> e.kind() == EntryKind.ACTION_STARTED).singleElement().satisfies(e -> {
      assertThat(e.cause().origin()).isEqualTo(Origin.USER);
      assertThat(e.cause().reason()).contains("alice").contains("reboot");
    });

    lab.cmd().stopVm("web1", false, "alice");
    lab.untilVm("web1", VmState.STOPPED, MAX);
    assertThatThrownBy(() -> lab.cmd().rebootVm("web1", "alice")).isInstanceOf(IllegalTransitionException.class)
        .hasMessageContaining("STOPPED");
  }

  @Test
  void vmThatFitsNowhereStaysPendingAndSaysWhy() {
    LabHarness lab = new LabHarness(2, SimLatencies.INSTANT);
    lab.startWithInventory();
    lab.cmd().createVm(VmRequest.of("huge", 4, 64 * 1024), "bob");
    lab.run(Duration.ofSeconds(5));
    assertThat(lab.vm("huge").state()).isEqualTo(VmState.PENDING);
    assertThat(lab.vm("huge").stateReason()).contains("memory");
    long unplaceable = lab.journal().stream().filter(e -> e.kind() == EntryKind.UNPLACEABLE).count();
    lab.run(Duration.ofSeconds(30));
    // The reason is journaled when it changes, not every cycle.
    assertThat(lab.journal().stream().filter(e -> e.kind() == EntryKind.UNPLACEABLE).count()).isEqualTo(unplaceable).isEqualTo(1);
  }

  @Test
  void badRequestsAreRejectedNamingTheFieldAndChangeNothing() {
    LabHarness lab = new LabHarness(2, SimLatencies.INSTANT);
    lab.startWithInventory();
    lab.cmd().createVm(VmRequest.of("ok1", 1, 512), "t");
    lab.run(Duration.ofSeconds(3));
    long seq = lab.store.lastSeq();
    int vms = lab.controller.state().vms().size();

    assertThatThrownBy(() -> lab.cmd().createVm(VmRequest.of("zero", 1, 0), "t"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("spec.memoryMib");
    assertThatThrownBy(() -> lab.cmd().createVm(VmRequest.of("neg", -2, 512), "t"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("spec.cpus");
    assertThatThrownBy(() -> lab.cmd().createVm(VmRequest.of("Bad_Name", 1, 512), "t"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("name");
    assertThatThrownBy(() -> lab.cmd().createVm(new VmRequest("nonet", 1, 512L, null, List.of(new NicSpec("nosuch")),
        null, null, null, null, null, null, null, null, null, null), "t"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("nics[0].network").hasMessageContaining("nosuch");
    assertThatThrownBy(() -> lab.cmd().createVm(new VmRequest("noimg", 1, 512L, List.of(new DiskSpec("nosuch", 0)), null,
        null, null, null, null, null, null, null, null, null, null), "t"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("disks[0].image");
    assertThatThrownBy(() -> lab.cmd().createVm(new VmRequest("badexpr", 1, 512L, null, null,
        "host.labels[\"zone\"] ==", null, null, null, null, null, null, null, null, null), "t"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("requirements");
    assertThatThrownBy(() -> lab.cmd().createVm(new VmRequest("oldha", 1, 512L, null, null,
        null, null, null, null, null, null, 10, null, null, null), "t"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("haPriority").hasMessageContaining("\"ha\"");
    assertThatThrownBy(() -> lab.cmd().createVm(VmRequest.of("ok1", 1, 512), "t")).isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> lab.cmd().migrateVm("nosuch", "node01", "t")).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> lab.cmd().migrateVm("ok1", "nosuch", "t"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("to");
    lab.cmd().stopVm("ok1", false, "t");
    lab.run(Duration.ofSeconds(3));
    assertThat(lab.vm("ok1").state()).isEqualTo(VmState.STOPPED);
    seq = lab.store.lastSeq();
    assertThatThrownBy(() -> lab.cmd().migrateVm("ok1", "node02", "t"))
        .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("STOPPED").hasMessageContaining("MIGRATING");
    String host = lab.vm("ok1").host();
    assertThatThrownBy(() -> lab.cmd().removeHost(host, "t"))
        .isInstanceOf(ConflictException.class).hasMessageContaining("ok1");
    assertThat(lab.store.lastSeq()).isEqualTo(seq);
    assertThat(lab.controller.state().vms()).hasSize(vms);
    assertThat(lab.controller.state().host(host)).isPresent();
  }

  @Test
  void holdKeepsAVmOutOfSchedulingUntilReleased() {
    LabHarness lab = new LabHarness(1, SimLatencies.INSTANT);
    lab.startWithInventory();
    lab.cmd().createVm(new VmRequest("held", 1, 512L, null, null, null, null, null, null, null, null, null, null, null, true), "t");
    lab.run(Duration.ofSeconds(10));
    assertThat(lab.vm("held").state()).isEqualTo(VmState.HOLD);
    lab.cmd().releaseVm("held", "t");
    lab.untilVm("held", VmState.RUNNING, MAX);
  }

  @Test
  void antiAffinityGroupSpreadsVmsOverHosts() {
    LabHarness lab = new LabHarness(3, SimLatencies.INSTANT);
    lab.startWithInventory();
    for (int i = 1; i <= 3; i++) {
      lab.cmd().createVm(new VmRequest("db" + i, 1, 512L, null, null, null, null, null, null, "db", null, null, null, null, null), "t");
    }
    lab.until("all running", () -> lab.controller.state().vms().stream().allMatch(v -> v.state() == VmState.RUNNING), MAX);
    assertThat(lab.controller.state().vms().stream().map(v -> v.host()).distinct()).hasSize(3);
  }
}
