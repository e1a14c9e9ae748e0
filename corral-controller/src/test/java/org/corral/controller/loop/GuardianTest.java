package org.corral.controller.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.corral.controller.command.VmRequest;
import org.corral.controller.store.JdbcStore;
import org.corral.controller.testing.LabHarness;
import org.corral.drivers.sim.SimLatencies;
import org.corral.model.InvalidInputException;
import org.corral.model.host.HostState;
import org.corral.model.journal.EntryKind;
import org.corral.model.journal.JournalEntry;
import org.corral.model.vm.HaLevel;
import org.corral.model.vm.VmState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Guardian on the simulated lab: fence, restart elsewhere by HA level, and never run a VM twice. */
class GuardianTest {
  @TempDir
  Path dir;

  private static VmRequest vm(String name, long memoryMib, HaLevel ha) {
    return new VmRequest(name, 1, memoryMib, null, null, null, null, null, null, null, ha, null, null, null, null);
  }

  /** Creates the VMs and waits until they all run; returns the host most of them are on. */
  private static String runAll(LabHarness lab, List<VmRequest> vms) {
    vms.forEach(v -> lab.cmd().createVm(v, "t"));
    lab.until("all running", () -> lab.controller.state().vms().stream().allMatch(v -> v.state() == VmState.RUNNING),
        Duration.ofMinutes(2));
    return lab.vm(vms.getFirst().name()).host();
  }

  /** No VM's domain runs on two hosts, and each RUNNING VM's domain runs where Corral says. */
  static void assertEachVmRunsOnce(LabHarness lab) {
    Map<String, List<String>> where = lab.dc.hosts().stream()
        .flatMap(h -> h.activeDomainNames().stream().map(d -> Map.entry(d, h.name())))
        .collect(Collectors.groupingBy(Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
    where.forEach((vm, hosts) -> assertThat(hosts).as("hosts running " + vm).hasSize(1));
    lab.controller.state().vms().stream().filter(v -> v.state() == VmState.RUNNING)
        .forEach(v -> assertThat(where.get(v.name())).as("where " + v.name() + " runs").containsExactly(v.host()));
  }

  @Test
  void aCrashedHostIsFencedAndItsVmsRestartElsewhereHighFirst() {
    LabHarness lab = new LabHarness(3, SimLatencies.DEFAULT);
    lab.startWithInventory();
    // PACKING puts them all on one host (8 cores, 32 GiB).
    String failed = runAll(lab, List.of(vm("db", 4096, HaLevel.HIGH), vm("web", 4096, HaLevel.MEDIUM),
        vm("batch", 4096, HaLevel.LOW), vm("scratch", 4096, HaLevel.NONE)));
    assertThat(lab.controller.state().vms()).allMatch(v -> failed.equals(v.host()));

    lab.dc.crashHost(failed);
    lab.until("HA VMs running elsewhere", () -> List.of("db", "web", "batch").stream()
        .allMatch(n -> lab.vm(n).state() == VmState.RUNNING && !failed.equals(lab.vm(n).host())), Duration.ofMinutes(2));

    assertThat(lab.journal()).anySatisfy(e -> assertThat(e.subject() + " " + e.to()).isEqualTo(failed + " FENCED"));
    assertThat(lab.vm("scratch").state()).isEqualTo(VmState.FAILED);
    assertThat(lab.vm("scratch").stateReason()).contains("HA level none");
    List<JournalEntry> j = lab.journal();
    long fenced = j.stream().filter(e -> e.kind() == EntryKind.ACTION_SUCCEEDED && e.actionKey() != null
        && e.actionKey().startsWith("fence/" + failed)).findFirst().orElseThrow().seq();
    List<JournalEntry> recoveries = j.stream().filter(e -> e.kind() == EntryKind.ACTION_STARTED && e.actionKey() != null
        && e.actionKey().startsWith("recover/")).toList();
    assertThat(recoveries).extracting(JournalEntry::subject).containsExactly("db", "web", "batch");
    assertThat(recoveries).allSatisfy(e -> assertThat(e.seq()).as("recovery after fencing").isGreaterThan(fenced));
    assertEachVmRunsOnce(lab);
    // Reboot fencing: the fenced host, holding no VM any more, is switched back on and rejoins empty.
    lab.until(failed + " UP again", () -> lab.host(failed).state() == HostState.UP, Duration.ofMinutes(3));
    assertThat(lab.controller.state().vmsOn(failed)).allMatch(v -> v.state() == VmState.FAILED);
  }

  @Test
  void aRecoveryRefusedByATargetCutFromTheStorageIsTriedAgainAndTheFencedHostStaysOffMeanwhile() {
    LabHarness lab = new LabHarness(3, SimLatencies.DEFAULT);
    lab.startWithInventory();
    String failed = runAll(lab, List.of(vm("db", 4096, HaLevel.HIGH), vm("web", 4096, HaLevel.MEDIUM)));
    List<String> others = lab.dc.hosts().stream().map(h -> h.name()).filter(n -> !n.equals(failed)).toList();
    // Every other host is cut from the shared storage: each refuses the restarts ("its disk's
    // storage lease cannot be acquired"), and the VMs go back UNKNOWN on the fenced host.
    others.forEach(h -> lab.dc.cutStorage(h, true));
    lab.dc.crashHost(failed);
    lab.until("a recovery refused", () -> lab.journal().stream().anyMatch(e -> e.kind() == EntryKind.ACTION_FAILED
        && e.actionKey() != null && e.actionKey().startsWith("recover/")), Duration.ofMinutes(2));
    lab.run(Duration.ofSeconds(30));
    // The fenced host was not switched back on under the VMs whose recovery failed.
    assertThat(lab.host(failed).state()).isEqualTo(HostState.FENCED);
    assertThat(List.of("db", "web")).allSatisfy(n -> assertThat(lab.vm(n).state()).isNotEqualTo(VmState.FAILED));

    others.forEach(h -> lab.dc.cutStorage(h, false));
    lab.until("both running elsewhere", () -> List.of("db", "web").stream()
        .allMatch(n -> lab.vm(n).state() == VmState.RUNNING && !failed.equals(lab.vm(n).host())), Duration.ofMinutes(2));
    assertEachVmRunsOnce(lab);
    // Holding no VM any more, it rejoins.
    lab.until(failed + " UP again", () -> lab.host(failed).state() == HostState.UP, Duration.ofMinutes(3));
  }

  @Test
  void theFencedHostStaysOffWhileARecoveryFromItRunsEvenAfterAControllerRestart() {
    LabHarness lab = new LabHarness(3, SimLatencies.DEFAULT);
    lab.startWithInventory();
    String failed = runAll(lab, List.of(vm("db", 4096, HaLevel.HIGH), vm("web", 4096, HaLevel.MEDIUM)));
    lab.dc.crashHost(failed);
    lab.until("a recovery running", () -> lab.journal().stream().anyMatch(e -> e.kind() == EntryKind.ACTION_STARTED
        && e.actionKey() != null && e.actionKey().startsWith("recover/")), Duration.ofMinutes(1));
    // Whatever the old controller knew of its recoveries dies with it: the store and the executor's
    // resumed actions are all the new one has.
    lab.kill();
    lab.start(lab.store);
    lab.until(failed + " UP again", () -> lab.host(failed).state() == HostState.UP, Duration.ofMinutes(3));
    // While a recovery runs its VM looks RECOVERING elsewhere and the fenced host looks empty; it is
    // not: should the recovery fail, the VM is UNKNOWN there again. So it is switched back on only
    // once every recovery from it has ended.
    List<JournalEntry> j = lab.journal();
    long rejoin = j.stream().filter(e -> e.kind() == EntryKind.ACTION_QUEUED && e.actionKey() != null
        && e.actionKey().startsWith("rejoin/" + failed)).findFirst().orElseThrow().seq();
    assertThat(j).filteredOn(e -> e.kind() == EntryKind.ACTION_SUCCEEDED && e.actionKey() != null && e.actionKey().startsWith("recover/"))
        .extracting(JournalEntry::subject).containsExactlyInAnyOrder("db", "web");
    assertThat(j).filteredOn(e -> e.kind() == EntryKind.ACTION_SUCCEEDED && e.actionKey() != null && e.actionKey().startsWith("recover/"))
        .allSatisfy(e -> assertThat(e.seq()).as(e.actionKey() + " ends before the rejoin").isLessThan(rejoin));
    assertEachVmRunsOnce(lab);
  }

  @Test
  void aRecoveryWaitsRatherThanGoToTheOnlyFreeHostWhileItsStorageIsCutAndTheJournalSaysWhy() {
    LabHarness lab = new LabHarness(2, SimLatencies.DEFAULT);
    lab.startWithInventory();
    // On the shared image: it needs its disk's storage lease wherever it runs.
    lab.cmd().createVm(new VmRequest("db", 1, 4096L, List.of(new org.corral.model.vm.DiskSpec("debian12", 10)), null, null, null,
        null, null, null, HaLevel.HIGH, null, null, null, null), "t");
    lab.untilVm("db", VmState.RUNNING, Duration.ofMinutes(1));
    String failed = lab.vm("db").host();
    String free = lab.dc.hosts().stream().map(h -> h.name()).filter(n -> !n.equals(failed)).findFirst().orElseThrow();

    lab.dc.cutStorage(free, true);
    lab.until("the Monitor sees " + free + "'s leases EXPIRED", () -> lab.controller.state().observation(free).storageLost(),
        Duration.ofMinutes(1));
    assertThat(lab.host(free).state()).as("it answers: UP, only cut from the storage").isEqualTo(HostState.UP);
    lab.dc.crashHost(failed);
    lab.until(failed + " FENCED", () -> lab.host(failed).state() == HostState.FENCED, Duration.ofMinutes(1));
    lab.run(Duration.ofSeconds(30));

    List<JournalEntry> j = lab.journal();
    assertThat(j).as("no recovery is sent to the cut host").noneSatisfy(e -> assertThat(e.actionKey()).isNotNull().startsWith("recover/"));
    assertThat(j).anySatisfy(e -> {
      assertThat(e.kind()).isEqualTo(EntryKind.GUARDIAN_NOTE);
      assertThat(e.message()).startsWith("db: no host to restart it on")
          .contains("1 host has lost the shared storage (storage leases EXPIRED): db needs a storage lease there");
    });
    assertThat(lab.vm("db").state()).isNotEqualTo(VmState.FAILED);
    assertThat(j).filteredOn(e -> free.equals(e.subject()) && e.kind() == EntryKind.UPDATED).extracting(JournalEntry::message)
        .containsExactly("storage leases EXPIRED: it answers but has lost the shared storage; no VM on shared storage is placed there");

    lab.dc.cutStorage(free, false);
    lab.until("db running on " + free, () -> lab.vm("db").state() == VmState.RUNNING && free.equals(lab.vm("db").host()),
        Duration.ofMinutes(1));
    assertThat(lab.journal()).as("sent once, and it took").filteredOn(e -> e.kind() == EntryKind.ACTION_FAILED && e.actionKey() != null
        && e.actionKey().startsWith("recover/")).isEmpty();
    assertThat(lab.journal()).anySatisfy(e -> assertThat(e.subject() + ": " + e.message())
        .isEqualTo(free + ": storage leases held again: VMs on shared storage may be placed there"));
    assertEachVmRunsOnce(lab);
  }

  /** The lab's hosts with soft fencing ({@code power.soft}) through the simulator. */
  private static void addInventoryWithSoftFencing(LabHarness lab) {
    lab.addInventory(h -> new org.corral.controller.command.HostRequest(h.name(), h.uri(), h.capacity(), Map.of(),
        new org.corral.model.host.PowerSpec(h.uri(), null, null, h.uri()), null));
  }

  @Test
  void aHostWhoseLibvirtdDiedIsBroughtBackBySoftFencingWithNoPowerCutAndNoRecovery() {
    LabHarness lab = new LabHarness(2, SimLatencies.DEFAULT);
    lab.start(new org.corral.controller.store.InMemoryStore());
    addInventoryWithSoftFencing(lab);
    String host = runAll(lab, List.of(vm("a", 4096, HaLevel.HIGH)));

    lab.dc.stopHypervisor(host); // the guests run on; only the daemon is gone
    lab.until(host + " DOWN, then UP again", () -> lab.host(host).state() == HostState.UP && lab.journal().stream()
        .anyMatch(e -> host.equals(e.subject()) && "DOWN".equals(e.to())), Duration.ofMinutes(1));
    lab.until("a RUNNING again", () -> lab.vm("a").state() == VmState.RUNNING, Duration.ofMinutes(1));
    lab.run(Duration.ofSeconds(30));

    assertThat(lab.vm("a").host()).isEqualTo(host);
    assertThat(lab.dc.host(host).orElseThrow().activeDomainNames()).containsExactly("a");
    assertThat(lab.dc.faultLog()).anySatisfy(f -> assertThat(f).endsWith(host + ": libvirtd restarted"));
    List<JournalEntry> j = lab.journal();
    assertThat(j).anySatisfy(e -> {
      assertThat(e.kind()).isEqualTo(EntryKind.ACTION_SUCCEEDED);
      assertThat(e.actionKey()).startsWith("soft-fence/" + host + "/");
    });
    assertThat(j).noneSatisfy(e -> assertThat(e.actionKey()).isNotNull().matches("(fence|recover)/.*"));
    assertEachVmRunsOnce(lab);
  }

  @Test
  void whenSoftFencingDoesNotBringTheHostBackItIsFencedAndItsVmsRestartElsewhere() {
    LabHarness lab = new LabHarness(2, SimLatencies.DEFAULT);
    lab.start(new org.corral.controller.store.InMemoryStore());
    addInventoryWithSoftFencing(lab);
    String cut = runAll(lab, List.of(vm("a", 4096, HaLevel.HIGH)));

    lab.dc.partitionHost(cut, true); // SSH cannot reach it either
    lab.until("a running elsewhere", () -> lab.vm("a").state() == VmState.RUNNING && !cut.equals(lab.vm("a").host()),
        Duration.ofMinutes(2));

    List<JournalEntry> j = lab.journal();
    long softFailed = j.stream().filter(e -> e.kind() == EntryKind.ACTION_FAILED && e.actionKey() != null
        && e.actionKey().startsWith("soft-fence/" + cut)).findFirst().orElseThrow().seq();
    long fenced = j.stream().filter(e -> e.kind() == EntryKind.ACTION_STARTED && e.actionKey() != null
        && e.actionKey().startsWith("fence/" + cut)).findFirst().orElseThrow().seq();
    assertThat(fenced).as("hard fencing after soft fencing failed").isGreaterThan(softFailed);
    assertThat(j.stream().filter(e -> e.kind() == EntryKind.ACTION_STARTED && e.actionKey() != null
        && e.actionKey().startsWith("soft-fence/"))).as("soft fencing tried once").hasSize(1);
    assertThat(lab.dc.host(cut).orElseThrow().activeDomainNames()).isEmpty();
    assertEachVmRunsOnce(lab);
  }

  @Test
  void aPartitionedHostWithAReachableBmcIsPoweredOffBeforeItsVmsRestart() {
    LabHarness lab = new LabHarness(2, SimLatencies.DEFAULT);
    lab.startWithInventory();
    String cut = runAll(lab, List.of(vm("a", 4096, HaLevel.HIGH)));

    lab.dc.partitionHost(cut, true);
    lab.until("a running elsewhere", () -> lab.vm("a").state() == VmState.RUNNING && !cut.equals(lab.vm("a").host()),
        Duration.ofMinutes(2));

    assertThat(lab.dc.host(cut).orElseThrow().activeDomainNames()).isEmpty();
    assertEachVmRunsOnce(lab);
  }

  @Test
  void withoutProofThatTheHostIsOffNothingRestartsUntilAnAdministratorConfirms() {
    LabHarness lab = new LabHarness(2, SimLatencies.DEFAULT);
    lab.startWithInventory();
    String cut = runAll(lab, List.of(vm("a", 4096, HaLevel.HIGH)));
    assertThatThrownBy(() -> lab.controller.guardian().confirmOff(cut, "alice"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("not DOWN");

    lab.dc.setBmcReachable(cut, false);
    lab.dc.partitionHost(cut, true); // still running its VM: restarting it elsewhere would run it twice
    lab.run(Duration.ofMinutes(3));

    assertThat(lab.host(cut).state()).isEqualTo(HostState.DOWN);
    assertThat(lab.vm("a").state()).isEqualTo(VmState.UNKNOWN);
    assertThat(lab.journal()).filteredOn(e -> e.kind() == EntryKind.GUARDIAN_NOTE)
        .anySatisfy(e -> assertThat(e.message()).contains(cut).contains("confirm-off"));
    assertEachVmRunsOnce(lab);

    lab.dc.crashHost(cut); // the administrator walks to the rack and pulls the plug, then says so
    lab.controller.guardian().confirmOff(cut, "alice");
    lab.until("a running elsewhere", () -> lab.vm("a").state() == VmState.RUNNING && !cut.equals(lab.vm("a").host()),
        Duration.ofMinutes(1));
    assertThat(lab.journal()).anySatisfy(e -> assertThat(e.message()).contains("alice confirmed that host " + cut + " is off"));
    assertEachVmRunsOnce(lab);
  }

  @Test
  void aHostCutOffWithItsBmcIsRestartedElsewhereOnlyOnceTheStorageReportsItsLeasesExpired() {
    LabHarness lab = new LabHarness(2, SimLatencies.DEFAULT);
    lab.startWithInventory();
    String cut = runAll(lab, List.of(vm("a", 4096, HaLevel.HIGH)));

    lab.dc.setBmcReachable(cut, false);
    lab.dc.partitionHost(cut, true);
    lab.dc.cutStorage(cut, true); // cut from everything: sanlock kills its VM when its lease runs out
    lab.until("a running elsewhere", () -> lab.vm("a").state() == VmState.RUNNING && !cut.equals(lab.vm("a").host()),
        Duration.ofMinutes(2));

    List<JournalEntry> j = lab.journal();
    JournalEntry recovered = j.stream().filter(e -> e.kind() == EntryKind.ACTION_QUEUED && e.actionKey() != null
        && e.actionKey().startsWith("recover/a/")).findFirst().orElseThrow();
    assertThat(recovered.cause().reason()).contains("storage leases of its VMs expired");
    String expired = lab.dc.faultLog().stream().filter(f -> f.contains(cut + ": storage leases expired")).findFirst().orElseThrow();
    assertThat(recovered.at()).as("not before the leases ran out").isAfterOrEqualTo(java.time.Instant.parse(expired.split(" ")[0]));
    assertThat(j).noneSatisfy(e -> assertThat(e.actionKey()).isNotNull().startsWith("fence/"));
    assertEachVmRunsOnce(lab);
  }

  @Test
  void aControllerKilledMidRecoveryFinishesItOnceAfterRestart() {
    LabHarness lab = new LabHarness(3, SimLatencies.DEFAULT);
    lab.start(JdbcStore.h2File(dir));
    lab.addInventory();
    String failed = runAll(lab, List.of(vm("a", 4096, HaLevel.HIGH), vm("b", 4096, HaLevel.HIGH)));

    lab.dc.crashHost(failed);
    lab.until("a recovering", () -> lab.controller.state().vms().stream().anyMatch(v -> v.state() == VmState.BOOTING
        || v.state() == VmState.RECOVERING), Duration.ofMinutes(1));
    lab.kill();
    lab.store.close();
    lab.run(Duration.ofSeconds(5));

    lab.start(JdbcStore.h2File(dir));
    lab.until("both running elsewhere", () -> List.of("a", "b").stream()
        .allMatch(n -> lab.vm(n).state() == VmState.RUNNING && !failed.equals(lab.vm(n).host())), Duration.ofMinutes(2));
    lab.run(Duration.ofSeconds(30));

    assertEachVmRunsOnce(lab);
    Map<String, Long> starts = lab.journal().stream().filter(e -> e.kind() == EntryKind.ACTION_STARTED && e.actionKey() != null
        && e.actionKey().startsWith("recover/")).collect(Collectors.groupingBy(JournalEntry::subject, Collectors.counting()));
    assertThat(starts).as("recoveries started per VM").containsOnly(Map.entry("a", 1L), Map.entry("b", 1L));
  }

  /** VM c crashed twice on a 2-host lab: restarted in place, then elsewhere; returns its first host. */
  private static String crashedTwice(LabHarness lab) {
    lab.startWithInventory();
    String first = runAll(lab, List.of(vm("c", 4096, HaLevel.HIGH)));
    lab.dc.crashDomain(first, "c");
    lab.until("c stopped", () -> lab.vm("c").state() != VmState.RUNNING, Duration.ofMinutes(1));
    lab.until("c running again", () -> lab.vm("c").state() == VmState.RUNNING, Duration.ofMinutes(1));
    assertThat(lab.vm("c").host()).as("the first restart is in place").isEqualTo(first);
    lab.dc.crashDomain(first, "c");
    lab.until("c running elsewhere", () -> lab.vm("c").state() == VmState.RUNNING && !first.equals(lab.vm("c").host()),
        Duration.ofMinutes(2));
    return first;
  }

  @Test
  void aVmThatKeepsCrashingIsRestartedInPlaceThenElsewhereThreeTimesThenFailed() {
    LabHarness lab = new LabHarness(2, SimLatencies.DEFAULT);
    crashedTwice(lab);
    String second = lab.vm("c").host();

    lab.dc.crashDomain(second, "c");
    lab.until("c stopped", () -> lab.vm("c").state() != VmState.RUNNING, Duration.ofMinutes(1));
    lab.until("c running a third time", () -> lab.vm("c").state() == VmState.RUNNING, Duration.ofMinutes(2));

    lab.dc.crashDomain(lab.vm("c").host(), "c");
    lab.until("c failed", () -> lab.vm("c").state() == VmState.FAILED, Duration.ofMinutes(2));
    assertThat(lab.vm("c").stateReason()).contains("3 times within 10 min");
    assertEachVmRunsOnce(lab);
  }

  @Test
  void aControllerRestartDoesNotGiveACrashingVmAFreshAllowance() {
    LabHarness lab = new LabHarness(2, SimLatencies.DEFAULT);
    crashedTwice(lab);
    assertThat(lab.store.load().meta().get("crash-restarts/c")).as("two restarts kept in the store").contains(";");

    lab.kill();
    lab.start(lab.store);
    lab.run(Duration.ofSeconds(10));
    lab.dc.crashDomain(lab.vm("c").host(), "c");
    lab.until("c stopped", () -> lab.vm("c").state() != VmState.RUNNING, Duration.ofMinutes(1));
    lab.until("c running a third time", () -> lab.vm("c").state() == VmState.RUNNING, Duration.ofMinutes(2));
    lab.dc.crashDomain(lab.vm("c").host(), "c");
    lab.until("c failed", () -> lab.vm("c").state() == VmState.FAILED, Duration.ofMinutes(2));
    assertThat(lab.vm("c").stateReason()).contains("3 times within 10 min");

    lab.cmd().deleteVm("c", "t");
    lab.until("its restarts forgotten", () -> !lab.store.load().meta().containsKey("crash-restarts/c"), Duration.ofMinutes(1));
  }

  @Test
  void maintenanceLiveMigratesTheRunningVmsAwayAndActivateBringsTheHostBack() {
    LabHarness lab = new LabHarness(3, SimLatencies.DEFAULT);
    lab.startWithInventory();
    String host = runAll(lab, List.of(vm("a", 4096, HaLevel.HIGH), vm("b", 4096, HaLevel.LOW)));

    lab.cmd().maintenance(host, true, "alice");
    lab.until("both moved", () -> List.of("a", "b").stream()
        .allMatch(n -> lab.vm(n).state() == VmState.RUNNING && !host.equals(lab.vm(n).host())), Duration.ofMinutes(2));

    assertThat(lab.host(host).state()).isEqualTo(HostState.MAINTENANCE);
    assertThat(lab.journal()).filteredOn(e -> e.kind() == EntryKind.ACTION_SUCCEEDED && e.actionKey() != null
        && e.actionKey().startsWith("evacuate/")).extracting(JournalEntry::subject).containsExactlyInAnyOrder("a", "b");
    assertEachVmRunsOnce(lab);
    lab.cmd().maintenance(host, false, "alice");
    assertThat(lab.host(host).state()).isEqualTo(HostState.UP);
  }

  @Test
  void anOffHostIsNotAFailedHost() {
    LabHarness lab = new LabHarness(2, SimLatencies.DEFAULT);
    lab.startWithInventory();
    lab.cmd().powerOff("node02", "t");
    lab.until("node02 off", () -> lab.host("node02").state() == HostState.OFF, Duration.ofMinutes(2));
    lab.run(Duration.ofMinutes(1));

    assertThat(lab.journal()).noneMatch(e -> e.actionKey() != null && e.actionKey().startsWith("fence/"));
    assertThat(lab.host("node02").state()).isEqualTo(HostState.OFF);
  }

  @Test
  void aCrashedHostsHaVmsLandOnTheReservedSpareAndNoOrdinaryVmEverGoesThere() {
    // node04 is a spare by name, node03 by label: PACKING would otherwise fill node01 then spread.
    LabHarness lab = new LabHarness(4, SimLatencies.DEFAULT, LabHarness.fastSettings()
        .withGuardian(org.corral.controller.GuardianSettings.DEFAULT.withSpares(java.util.Set.of("node04"))));
    lab.start(null);
    lab.addInventory(h -> new org.corral.controller.command.HostRequest(h.name(), h.uri(), h.capacity(),
        h.name().equals("node03") ? Map.of("corral.spare", "true") : Map.of("rack", "r1"),
        new org.corral.model.host.PowerSpec(h.uri(), null, null), null));
    // 8 x 8 GiB: 4 fill node01 (32 GiB), 4 go to node02; none to a spare.
    List<VmRequest> vms = new java.util.ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      vms.add(vm("v" + i, 8192, i <= 2 ? HaLevel.HIGH : i == 3 ? HaLevel.NONE : HaLevel.MEDIUM));
    }
    runAll(lab, vms);
    assertThat(lab.controller.state().vms()).as("no ordinary VM on a spare").noneMatch(v -> v.host().equals("node03")
        || v.host().equals("node04"));
    String failed = lab.vm("v1").host();

    lab.dc.crashHost(failed);
    List<String> ha = lab.controller.state().vms().stream().filter(v -> failed.equals(v.host()) && v.spec().ha().restarted())
        .map(v -> v.name()).toList();
    lab.until("the failed host's HA VMs running elsewhere", () -> ha.stream()
        .allMatch(n -> lab.vm(n).state() == VmState.RUNNING && !failed.equals(lab.vm(n).host())), Duration.ofMinutes(2));

    // The other ordinary host is full: every HA VM of the failed host is on a spare.
    assertThat(ha).hasSize(3).allSatisfy(n -> assertThat(lab.vm(n).host()).isIn("node03", "node04"));
    assertThat(lab.journal()).filteredOn(e -> e.kind() == EntryKind.ACTION_STARTED && e.actionKey() != null
        && e.actionKey().startsWith("recover/")).extracting(JournalEntry::subject).startsWith("v1", "v2");
    assertThat(lab.journal()).filteredOn(e -> e.actionKey() != null && e.actionKey().startsWith("recover/v1/"))
        .allSatisfy(e -> assertThat(java.util.Objects.requireNonNull(e.cause()).reason()).contains("is a reserved spare (spares first)"));
    assertEachVmRunsOnce(lab);
  }

  @Test
  void theVmsRecoveredOntoTheSpareLiveMigrateOffItOnceTheFailedHostRejoinsAndEachRunsOnce() {
    LabHarness lab = new LabHarness(3, SimLatencies.DEFAULT, LabHarness.fastSettings()
        .withGuardian(org.corral.controller.GuardianSettings.DEFAULT.withSpares(java.util.Set.of("node03"))));
    lab.startWithInventory();
    // A VM of 30 GiB fills one ordinary host (32 GiB): the failed host's VMs have no room but the
    // spare's, and, once it rejoins, their own host's.
    String full = runAll(lab, List.of(vm("filler", 30720, HaLevel.NONE)));
    String failed = runAll(lab, List.of(vm("db", 4096, HaLevel.HIGH), vm("web", 4096, HaLevel.MEDIUM),
        vm("batch", 4096, HaLevel.LOW)));
    List<String> ha = List.of("db", "web", "batch");
    assertThat(failed).isNotIn(full, "node03");
    assertThat(ha).allSatisfy(n -> assertThat(lab.vm(n).host()).isEqualTo(failed));

    lab.dc.crashHost(failed);
    lab.until("the HA VMs running on the spare", () -> ha.stream()
        .allMatch(n -> lab.vm(n).state() == VmState.RUNNING && "node03".equals(lab.vm(n).host())), Duration.ofMinutes(2));
    assertEachVmRunsOnce(lab);

    // Reboot fencing brings the failed host back; then the spare empties, a few at a time (two at
    // once off one host): recommend mode (`corral plan`) shows the third one's move before it is made.
    // (Steps of 100 ms: the Guardian plans it within a second of the first two arriving.)
    assertThat(lab.clock.advanceUntil(() -> lab.controller.recommend().plans().stream()
        .flatMap(p -> p.actions().stream()).anyMatch(a -> a instanceof org.corral.model.plan.Action.MigrateVm m
            && m.key().startsWith(org.corral.policy.recovery.Recovery.SPARE_RETURN) && m.from().equals("node03") && m.to().equals(failed)),
        Duration.ofMillis(100), Duration.ofMinutes(5))).as("corral plan shows a VM returning off the spare").isTrue();
    lab.until("every VM off the spare, running", () -> ha.stream()
        .allMatch(n -> lab.vm(n).state() == VmState.RUNNING && !"node03".equals(lab.vm(n).host())), Duration.ofMinutes(5));
    assertThat(ha).as("back on the host that rejoined").allSatisfy(n -> assertThat(lab.vm(n).host()).isEqualTo(failed));
    assertThat(lab.controller.state().vmsOn("node03")).as("the spare is empty for the next failure").isEmpty();
    assertEachVmRunsOnce(lab);

    List<JournalEntry> j = lab.journal();
    long rejoined = j.stream().filter(e -> failed.equals(e.subject()) && "FENCED".equals(e.from())).findFirst().orElseThrow().seq();
    List<JournalEntry> returns = j.stream().filter(e -> e.kind() == EntryKind.ACTION_STARTED && e.actionKey() != null
        && e.actionKey().startsWith(org.corral.policy.recovery.Recovery.SPARE_RETURN)).toList();
    assertThat(returns).extracting(JournalEntry::subject).containsExactlyInAnyOrderElementsOf(ha);
    assertThat(returns).allSatisfy(e -> {
      assertThat(e.seq()).as("no VM leaves the spare while the failed host is fenced").isGreaterThan(rejoined);
      assertThat(java.util.Objects.requireNonNull(e.cause()).reason()).startsWith("returns from reserved spare node03");
    });
    assertThat(j).filteredOn(e -> e.kind() == EntryKind.ACTION_SUCCEEDED && e.actionKey() != null
        && e.actionKey().startsWith(org.corral.policy.recovery.Recovery.SPARE_RETURN)).hasSize(3);
  }

  @Test
  void withSpareReturnOffTheVmsStayOnTheSpare() {
    LabHarness lab = new LabHarness(3, SimLatencies.DEFAULT, LabHarness.fastSettings().withGuardian(
        org.corral.controller.GuardianSettings.DEFAULT.withSpares(java.util.Set.of("node03")).withSpareReturn(false)));
    lab.startWithInventory();
    String failed = runAll(lab, List.of(vm("db", 4096, HaLevel.HIGH)));

    lab.dc.crashHost(failed);
    lab.until(failed + " back after reboot fencing", () -> lab.host(failed).state() == HostState.UP, Duration.ofMinutes(3));
    lab.run(Duration.ofMinutes(1));

    assertThat(lab.vm("db").host()).isEqualTo("node03");
    assertThat(lab.vm("db").state()).isEqualTo(VmState.RUNNING);
    assertThat(lab.journal()).noneMatch(e -> e.actionKey() != null && e.actionKey().startsWith(org.corral.policy.recovery.Recovery.SPARE_RETURN));
  }

  @Test
  void aVmWhoseGuestHangsIsForcedOffAndRestartedInPlaceWithTheSilenceAsTheReason() {
    LabHarness lab = new LabHarness(2, SimLatencies.DEFAULT, LabHarness.fastSettings().withGuardian(
        org.corral.controller.GuardianSettings.DEFAULT.withHeartbeat(new org.corral.policy.recovery.GuestHeartbeat(Duration.ofSeconds(10), 3))));
    lab.startWithInventory();
    String host = runAll(lab, List.of(vm("h", 4096, HaLevel.HIGH), vm("quiet", 4096, HaLevel.NONE)));
    lab.run(Duration.ofSeconds(30)); // the agents answer: watched from now on
    java.time.Instant runningSince = lab.vm("h").stateSince();

    lab.dc.hangGuest(host, "h", true);
    lab.dc.hangGuest(lab.vm("quiet").host(), "quiet", true);
    java.time.Instant hungAt = lab.clock.now();
    lab.until("h running again", () -> lab.vm("h").state() == VmState.RUNNING && lab.vm("h").stateSince().isAfter(runningSince),
        Duration.ofMinutes(2));

    assertThat(lab.vm("h").host()).as("restarted in place").isEqualTo(host);
    List<JournalEntry> j = lab.journal();
    JournalEntry stop = j.stream().filter(e -> e.kind() == EntryKind.ACTION_STARTED && e.actionKey() != null
        && e.actionKey().startsWith("hung/h/")).findFirst().orElseThrow();
    assertThat(java.util.Objects.requireNonNull(stop.cause()).reason()).startsWith("h hangs: guest agent silent for 30 s");
    // Silence is counted from the last answer, up to one interval before the hang: 20 to 40 s after it.
    assertThat(Duration.between(hungAt, stop.at())).as("detected 30 s after the last answer, give or take a ping")
        .isBetween(Duration.ofSeconds(20), Duration.ofSeconds(41));
    JournalEntry restart = j.stream().filter(e -> e.kind() == EntryKind.ACTION_STARTED && e.actionKey() != null
        && e.actionKey().startsWith("restart/h/")).findFirst().orElseThrow();
    assertThat(java.util.Objects.requireNonNull(restart.cause()).reason()).startsWith("h hung: guest agent silent for 30 s")
        .endsWith("restarted in place");
    assertThat(lab.vm("quiet").state()).as("HA none: not watched, left as it is").isEqualTo(VmState.RUNNING);
    // Running again, its new run answers: nothing more happens.
    lab.run(Duration.ofMinutes(2));
    assertThat(lab.journal()).filteredOn(e -> e.kind() == EntryKind.ACTION_STARTED && e.actionKey() != null
        && e.actionKey().startsWith("hung/")).hasSize(1);
    assertEachVmRunsOnce(lab);
  }
}
