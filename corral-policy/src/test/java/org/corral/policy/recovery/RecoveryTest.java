package org.corral.policy.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.corral.model.host.Host;
import org.corral.model.host.HostCapacity;
import org.corral.model.host.HostState;
import org.corral.model.host.PowerModel;
import org.corral.model.host.PowerSpec;
import org.corral.model.image.Image;
import org.corral.model.plan.Action;
import org.corral.model.plan.RecordingPlanner;
import org.corral.model.snapshot.HostMetrics;
import org.corral.model.snapshot.HostObservation;
import org.corral.model.snapshot.Snapshot;
import org.corral.model.vm.DesiredState;
import org.corral.model.vm.DiskSpec;
import org.corral.model.vm.HaLevel;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmSpec;
import org.corral.model.vm.VmState;
import org.corral.policy.placement.Scheduler;
import org.corral.policy.placement.SchedulerSettings;
import org.junit.jupiter.api.Test;

/** Recovery planning: who is fenced, which VMs restart where, in which order, and who is given up. */
class RecoveryTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final PowerSpec IPMI = new PowerSpec("sim://", null, null);
  private final Recovery recovery = new Recovery(new Scheduler(SchedulerSettings.DEFAULT), CrashRestarts.DEFAULT, 4);
  private final Map<String, Host> hosts = new HashMap<>();
  private final Map<String, Vm> vms = new HashMap<>();
  private final Map<String, Image> images = new HashMap<>();
  private final Map<String, HostObservation> observed = new HashMap<>();
  private final Map<String, List<Instant>> restarts = new HashMap<>() {
    @Override
    public List<Instant> get(Object k) {
      return getOrDefault(k, List.of());
    }
  };

  private RecoveryTest host(String name, long memoryMib, HostState state) {
    hosts.put(name, new Host(name, "sim://lab/" + name, new HostCapacity(8, 2600, memoryMib), Map.of(), IPMI,
        PowerModel.linear(100, 200), state, "test", T0, 1));
    if (state != HostState.OFF) {
      observed.put(name, HostObservation.answeredAt(T0, HostMetrics.NONE));
    }
    return this;
  }

  private RecoveryTest vm(String name, String host, VmState state, VmSpec spec) {
    vms.put(name, new Vm(name, "uuid-" + name, spec, "alice", state, DesiredState.RUNNING, host, null, List.of(), "x", T0, T0, 3));
    return this;
  }

  private RecoveryTest lost(String name, String host, long memoryMib, HaLevel ha) {
    return vm(name, host, VmState.UNKNOWN, VmSpec.of(1, memoryMib).withHa(ha));
  }

  private Recovery.Decision decide(Set<String> busy, HostFailure facts) {
    Snapshot s = new Snapshot(9, T0, 42, hosts, vms, Map.of(), images, observed);
    return recovery.decide(s, new RecordingPlanner(busy::contains), h -> facts, T0, restarts::get);
  }

  private static final HostFailure BMC_ON = new HostFailure(BmcAnswer.ON, false, false);

  private Recovery.Decision decide() {
    return decide(Set.of(), BMC_ON);
  }

  private static List<String> keys(Recovery.Decision d) {
    return d.plan().actions().stream().map(Action::key).toList();
  }

  @Test
  void aConvergedClusterGivesAnEmptyPlan() {
    host("n1", 8192, HostState.UP).host("n2", 8192, HostState.UP).vm("a", "n1", VmState.RUNNING, VmSpec.of(1, 1024));

    Recovery.Decision d = decide();

    assertThat(d.plan().actions()).isEmpty();
    assertThat(d.plan().notes()).isEmpty();
    assertThat(d.givenUp()).isEmpty();
    assertThat(d.lost()).isEmpty();
  }

  @Test
  void aDownHostIsFencedBeforeAnyOfItsVmsRestarts() {
    host("n1", 8192, HostState.DOWN).host("n2", 8192, HostState.UP).lost("a", "n1", 1024, HaLevel.HIGH);

    assertThat(keys(decide())).containsExactly("fence/n1/1");
  }

  @Test
  void aDownHostIsFencedOnlyOnceItsPowerControllerHasAnswered() {
    host("n1", 8192, HostState.DOWN).host("n2", 8192, HostState.UP).lost("a", "n1", 1024, HaLevel.HIGH);

    Recovery.Decision d = decide(Set.of(), HostFailure.UNKNOWN);

    assertThat(d.plan().actions()).isEmpty();
    assertThat(d.plan().notes()).singleElement().asString().contains("asking its power controller");
  }

  @Test
  void aDownHostSeenOnlyBeforeTheControllerStartedIsNotFenced() {
    host("n1", 8192, HostState.DOWN).host("n2", 8192, HostState.UP).lost("a", "n1", 1024, HaLevel.HIGH);
    observed.put("n1", HostObservation.none(12)); // not polled since the start

    Recovery.Decision d = decide();

    assertThat(d.plan().actions()).isEmpty();
    assertThat(d.plan().notes()).singleElement().asString().contains("fresh observation");
  }

  @Test
  void aDownHostWithSoftFencingHasItsHypervisorRestartedBeforeItIsFenced() {
    host("n1", 8192, HostState.DOWN).host("n2", 8192, HostState.UP).lost("a", "n1", 1024, HaLevel.HIGH);
    hosts.put("n1", withSoft(hosts.get("n1"), "ssh://root@n1"));

    Recovery.Decision first = decide(Set.of(), BMC_ON.withSoft(SoftFence.AVAILABLE));
    Recovery.Decision running = decide(Set.of("n1"), BMC_ON.withSoft(SoftFence.RUNNING));
    Recovery.Decision tried = decide(Set.of(), BMC_ON.withSoft(SoftFence.TRIED));

    assertThat(first.plan().actions()).singleElement().isInstanceOfSatisfying(Action.SoftFenceHost.class, a -> {
      assertThat(a.key()).isEqualTo("soft-fence/n1/1");
      assertThat(a.grace()).isEqualTo(Recovery.SoftFencing.DEFAULT.grace());
      assertThat(a.cause().reason()).contains("restart its hypervisor first");
    });
    assertThat(running.plan().actions()).isEmpty();
    assertThat(running.plan().notes()).singleElement().asString().contains("restarting its hypervisor");
    assertThat(keys(tried)).containsExactly("fence/n1/1");
  }

  @Test
  void aHostWithoutASoftFencingMethodIsFencedAtOnceWhateverTheLoopBelieves() {
    host("n1", 8192, HostState.DOWN).host("n2", 8192, HostState.UP).lost("a", "n1", 1024, HaLevel.HIGH);

    assertThat(keys(decide(Set.of(), BMC_ON.withSoft(SoftFence.AVAILABLE)))).containsExactly("fence/n1/1");
  }

  private static Host withSoft(Host h, String uri) {
    return new Host(h.name(), h.uri(), h.capacity(), h.labels(), h.power().withSoft(uri), h.powerModel(), h.state(),
        h.stateReason(), h.stateSince(), h.version());
  }

  @Test
  void aHostBeingFencedIsNotFencedTwice() {
    host("n1", 8192, HostState.DOWN).host("n2", 8192, HostState.UP);

    assertThat(decide(Set.of("n1"), BMC_ON).plan().actions()).isEmpty();
  }

  @Test
  void anUnreachableBmcWaitsUntilTheLeaseExpiresOrAnAdministratorConfirms() {
    host("n1", 8192, HostState.DOWN).host("n2", 8192, HostState.UP).lost("a", "n1", 1024, HaLevel.HIGH);

    Recovery.Decision waiting = decide(Set.of(), new HostFailure(BmcAnswer.UNREACHABLE, false, false));
    Recovery.Decision leased = decide(Set.of(), new HostFailure(BmcAnswer.UNREACHABLE, true, false));
    Recovery.Decision confirmed = decide(Set.of(), new HostFailure(BmcAnswer.UNREACHABLE, false, true));

    assertThat(waiting.plan().actions()).isEmpty();
    assertThat(waiting.plan().notes()).singleElement().asString().contains("confirm-off");
    assertThat(keys(leased)).containsExactly("recover/a/3");
    assertThat(keys(confirmed)).containsExactly("recover/a/3");
  }

  @Test
  void vmsOfAFencedHostRestartHighFirstWhileRoomLasts() {
    host("n1", 16384, HostState.FENCED).host("n2", 2048, HostState.UP)
        .lost("c-low", "n1", 1024, HaLevel.LOW).lost("b-med", "n1", 1024, HaLevel.MEDIUM).lost("a-med", "n1", 1024, HaLevel.MEDIUM)
        .lost("z-high", "n1", 1024, HaLevel.HIGH);

    Recovery.Decision d = decide();

    assertThat(d.plan().actions()).extracting(a -> ((Action.RecoverVm) a).vm()).containsExactly("z-high", "a-med");
    assertThat(d.plan().actions()).allSatisfy(a -> {
      Action.RecoverVm r = (Action.RecoverVm) a;
      assertThat(r.from()).isEqualTo("n1");
      assertThat(r.to()).isEqualTo("n2");
      assertThat(r.cause().reason()).contains("host n1 failed").contains("power confirmed off");
    });
    assertThat(d.plan().notes()).hasSize(2).allSatisfy(n -> assertThat(n).contains("no host to restart it on"));
  }

  @Test
  void aFailedHostsVmsRestartInDependencyOrder() {
    host("n1", 16384, HostState.FENCED).host("n2", 16384, HostState.UP)
        .vm("app", "n1", VmState.UNKNOWN, VmSpec.of(1, 1024).withHa(HaLevel.HIGH).withDependsOn(List.of("db")))
        .lost("db", "n1", 1024, HaLevel.LOW);

    Recovery.Decision first = decide();
    assertThat(first.plan().actions()).extracting(a -> ((Action.RecoverVm) a).vm()).as("db first, although app is HA high")
        .containsExactly("db");
    assertThat(first.plan().notes()).singleElement().asString().contains("app: waits for db (UNKNOWN) to run again");

    vm("db", "n2", VmState.BOOTING, VmSpec.of(1, 1024).withHa(HaLevel.LOW));
    assertThat(decide().plan().actions()).as("app still waits while db boots").isEmpty();

    vm("db", "n2", VmState.RUNNING, VmSpec.of(1, 1024).withHa(HaLevel.LOW));
    assertThat(keys(decide())).containsExactly("recover/app/3");
  }

  @Test
  void aDependencyThatWillNotRunAgainByItselfHoldsNothingBack() {
    host("n1", 16384, HostState.FENCED).host("n2", 16384, HostState.UP)
        .vm("app", "n1", VmState.UNKNOWN, VmSpec.of(1, 1024).withDependsOn(List.of("cache", "db", "gone")))
        .vm("cache", "n2", VmState.FAILED, VmSpec.of(1, 1024))
        .lost("db", "n1", 1024, HaLevel.NONE);

    assertThat(keys(decide())).as("cache FAILED, db not restarted (HA none), gone deleted").containsExactly("recover/app/3");
  }

  @Test
  void noHostGetsMoreRestartsInOnePassThanItRunsAtOnce() {
    host("n1", 65536, HostState.FENCED).host("n2", 65536, HostState.UP).host("n3", 65536, HostState.UP);
    for (int i = 1; i <= 6; i++) {
      lost("v" + i, "n1", 1024, HaLevel.HIGH);
    }

    Recovery.Decision d = decide();

    assertThat(d.plan().actions()).extracting(a -> ((Action.RecoverVm) a).to())
        .as("4 (the executor's actions per host) on the best host, the rest on the next")
        .containsExactly("n2", "n2", "n2", "n2", "n3", "n3");
  }

  @Test
  void noneIsNotRestartedAndLocalDisksCannotBe() {
    images.put("local", new Image("local", "default", "local.qcow2", "qcow2", 10, false));
    images.put("nfs", new Image("nfs", "nfs", "nfs.qcow2", "qcow2", 10, true));
    host("n1", 16384, HostState.FENCED).host("n2", 16384, HostState.UP)
        .lost("none", "n1", 1024, HaLevel.NONE)
        .vm("local", "n1", VmState.UNKNOWN, VmSpec.of(1, 1024).withDisks(List.of(new DiskSpec("local", 0))))
        .vm("shared", "n1", VmState.UNKNOWN, VmSpec.of(1, 1024).withDisks(List.of(new DiskSpec("nfs", 0))));

    Recovery.Decision d = decide();

    assertThat(keys(d)).containsExactly("recover/shared/3");
    assertThat(d.givenUp()).extracting(Recovery.GiveUp::vm).containsExactlyInAnyOrder("none", "local");
    assertThat(d.givenUp()).filteredOn(g -> g.vm().equals("none")).singleElement().extracting(Recovery.GiveUp::reason)
        .asString().contains("HA level none");
    assertThat(d.givenUp()).filteredOn(g -> g.vm().equals("local")).singleElement().extracting(Recovery.GiveUp::reason)
        .asString().contains("local storage");
  }

  @Test
  void antiAffinityHoldsAmongTheRestartedVms() {
    host("n1", 16384, HostState.FENCED).host("n2", 16384, HostState.UP).host("n3", 16384, HostState.UP)
        .vm("web1", "n1", VmState.UNKNOWN, VmSpec.of(1, 1024).withGroups(null, "web"))
        .vm("web2", "n1", VmState.UNKNOWN, VmSpec.of(1, 1024).withGroups(null, "web"));

    Recovery.Decision d = decide();

    assertThat(d.plan().actions()).extracting(a -> ((Action.RecoverVm) a).to()).containsExactlyInAnyOrder("n2", "n3");
  }

  @Test
  void anOffHostIsWokenWhenNoHostThatIsOnHasRoom() {
    host("n1", 16384, HostState.FENCED).host("n2", 1024, HostState.UP).host("n3", 16384, HostState.OFF)
        .lost("a", "n1", 2048, HaLevel.HIGH).lost("b", "n1", 2048, HaLevel.HIGH);

    Recovery.Decision d = decide();

    assertThat(keys(d)).containsExactly("wake/n3/1");
    assertThat(d.plan().notes()).containsExactly("a: waits for n3 to power on", "b: waits for n3 to power on");
  }

  @Test
  void aFailedHostsVmsGoToTheReservedSpareFirstInHaOrderThenToTheRest() {
    Recovery spares = new Recovery(new Scheduler(SchedulerSettings.DEFAULT.withSpares(Set.of("spare"))), CrashRestarts.DEFAULT, 4);
    // The spare holds two of the three; n2 (fuller, so PACKING's choice without spares) the third.
    host("n1", 16384, HostState.FENCED).host("n2", 8192, HostState.UP).host("spare", 4096, HostState.UP)
        .vm("n2-own", "n2", VmState.RUNNING, VmSpec.of(1, 4096))
        .lost("low", "n1", 2048, HaLevel.LOW).lost("high", "n1", 2048, HaLevel.HIGH).lost("medium", "n1", 2048, HaLevel.MEDIUM);

    Snapshot snap = new Snapshot(9, T0, 42, hosts, vms, Map.of(), images, observed);
    Recovery.Decision d = spares.decide(snap, new RecordingPlanner(), h -> BMC_ON, T0, restarts::get);

    assertThat(d.plan().actions()).extracting(a -> ((Action.RecoverVm) a).vm() + "->" + ((Action.RecoverVm) a).to())
        .containsExactly("high->spare", "medium->spare", "low->n2");
    assertThat(d.plan().actions().getFirst().cause().reason()).contains("HA high; spare is a reserved spare (spares first); PACKING chose spare");
  }

  @Test
  void anOffSpareIsWokenForRecoveryOnlyWhenNoHostThatIsOnHasRoomAndBeforeAnyOtherOffHost() {
    Recovery spares = new Recovery(new Scheduler(SchedulerSettings.DEFAULT.withSpares(Set.of("spare"))), CrashRestarts.DEFAULT, 4);
    host("n1", 16384, HostState.FENCED).host("n2", 2048, HostState.UP).host("a-off", 16384, HostState.OFF)
        .host("spare", 16384, HostState.OFF).lost("a", "n1", 2048, HaLevel.HIGH).lost("b", "n1", 2048, HaLevel.HIGH);

    Snapshot snap = new Snapshot(9, T0, 42, hosts, vms, Map.of(), images, observed);
    Recovery.Decision d = spares.decide(snap, new RecordingPlanner(), h -> BMC_ON, T0, restarts::get);

    assertThat(keys(d)).containsExactly("recover/a/3", "wake/spare/1");
    assertThat(((Action.RecoverVm) d.plan().actions().getFirst()).to()).isEqualTo("n2");
    assertThat(d.plan().notes()).containsExactly("b: waits for reserved spare spare to power on");
  }

  @Test
  void aVmWhoseGuestAgentFellSilentIsForcedOffThenRestartedInPlaceWithTheSilenceAsTheReason() {
    Instant now = T0.plusSeconds(100); // the VMs run since T0
    Recovery watching = new Recovery(new Scheduler(SchedulerSettings.DEFAULT), CrashRestarts.DEFAULT,
        new GuestHeartbeat(java.time.Duration.ofSeconds(10), 3), 4);
    host("n1", 16384, HostState.UP).host("n2", 16384, HostState.UP)
        .vm("hung", "n1", VmState.RUNNING, VmSpec.of(1, 1024)).vm("fine", "n1", VmState.RUNNING, VmSpec.of(1, 1024))
        .vm("no-agent", "n1", VmState.RUNNING, VmSpec.of(1, 1024))
        .vm("hung-none", "n1", VmState.RUNNING, VmSpec.of(1, 1024).withHa(HaLevel.NONE));
    org.corral.model.snapshot.AgentObservation silent = org.corral.model.snapshot.AgentObservation.watching(T0)
        .answered(now.minusSeconds(40)).missed(now.minusSeconds(20), "x").missed(now.minusSeconds(10), "y").missed(now, "no answer");
    Map<String, org.corral.model.snapshot.AgentObservation> agents = Map.of("hung", silent, "hung-none", silent,
        "fine", org.corral.model.snapshot.AgentObservation.watching(T0).answered(now),
        "no-agent", org.corral.model.snapshot.AgentObservation.watching(T0).missed(now, "no agent"));
    Snapshot running = new Snapshot(9, now, 42, hosts, vms, Map.of(), images, observed).withAgents(agents);

    Recovery.Decision d = watching.decide(running, new RecordingPlanner(), h -> BMC_ON, T0, restarts::get);

    assertThat(d.plan().actions()).singleElement().isInstanceOfSatisfying(Action.StopVm.class, stop -> {
      assertThat(stop.key()).isEqualTo("hung/hung/3");
      assertThat(stop.force()).isTrue();
      assertThat(stop.cause().reason()).startsWith("hung hangs: guest agent silent for 30 s (3 pings unanswered").endsWith("forced off to restart it");
    });
    assertThat(recovery.decide(running, new RecordingPlanner(), h -> BMC_ON, T0, restarts::get).plan().actions())
        .as("heartbeats off (the default): a RUNNING VM is never judged").isEmpty();
    // Forced off, it is a VM that stopped on its own: restarted in place, the silence as the reason.
    vm("hung", "n1", VmState.STOPPED, VmSpec.of(1, 1024));
    Snapshot stopped = new Snapshot(10, now.plusSeconds(5), 42, hosts, vms, Map.of(), images, observed).withAgents(agents);
    Recovery.Decision after = watching.decide(stopped, new RecordingPlanner(), h -> BMC_ON, T0, restarts::get);
    assertThat(keys(after)).containsExactly("restart/hung/3");
    assertThat(after.plan().actions().getFirst().cause().reason()).startsWith("hung hung: guest agent silent for 30 s")
        .endsWith("restarted in place");
    // Running again (a new run): what was observed of the run before does not count.
    vms.put("hung", new Vm("hung", "uuid-hung", VmSpec.of(1, 1024), "alice", VmState.RUNNING, DesiredState.RUNNING, "n1", null,
        List.of(), "x", T0, now.plusSeconds(30), 5));
    Snapshot again = new Snapshot(11, now.plusSeconds(31), 42, hosts, vms, Map.of(), images, observed).withAgents(agents);
    assertThat(watching.decide(again, new RecordingPlanner(), h -> BMC_ON, T0, restarts::get).plan().actions()).isEmpty();
  }

  @Test
  void vmsStillBelievedRunningOnAFailedHostAreMarkedLost() {
    host("n1", 16384, HostState.FENCED).host("n2", 16384, HostState.UP)
        .vm("migrated-back", "n1", VmState.RUNNING, VmSpec.of(1, 1024)).vm("busy", "n1", VmState.RUNNING, VmSpec.of(1, 1024));

    Recovery.Decision d = decide(Set.of("busy"), BMC_ON);

    assertThat(d.lost()).extracting(Recovery.GiveUp::vm).containsExactly("migrated-back");
    assertThat(d.lost().getFirst().reason()).isEqualTo("host n1 is FENCED");
  }

  @Test
  void aFencedHostThatHoldsNoVmAnyMoreIsSwitchedBackOnToRejoin() {
    host("n1", 16384, HostState.FENCED).host("n2", 16384, HostState.UP)
        .vm("gone", "n1", VmState.FAILED, VmSpec.of(1, 1024)).vm("moved", "n2", VmState.RUNNING, VmSpec.of(1, 1024));

    assertThat(keys(decide())).containsExactly("rejoin/n1/1");
    assertThat(decide(Set.of("n1"), BMC_ON).plan().actions()).as("not while an action holds it").isEmpty();
  }

  @Test
  void aVmThatStoppedOnItsOwnRestartsInPlaceThenElsewhereThenIsGivenUp() {
    host("n1", 16384, HostState.UP).host("n2", 16384, HostState.UP).vm("c", "n1", VmState.STOPPED, VmSpec.of(1, 1024));

    assertThat(keys(decide())).as("first: in place").containsExactly("restart/c/3");

    restarts.put("c", List.of(T0.minusSeconds(5)));
    assertThat(keys(decide())).as("second, within the backoff").isEmpty();
    assertThat(decide().plan().notes()).singleElement().asString().contains("next restart at " + T0.plusSeconds(5));

    restarts.put("c", List.of(T0.minusSeconds(11)));
    Recovery.Decision elsewhere = decide();
    assertThat(keys(elsewhere)).as("second, after the backoff: elsewhere").containsExactly("restart-elsewhere/c/3");
    assertThat(((Action.RecoverVm) elsewhere.plan().actions().getFirst()).to()).isEqualTo("n2");

    restarts.put("c", List.of(T0.minusSeconds(100), T0.minusSeconds(60), T0.minusSeconds(30)));
    Recovery.Decision given = decide();
    assertThat(given.plan().actions()).isEmpty();
    assertThat(given.givenUp()).singleElement().extracting(Recovery.GiveUp::reason).asString().contains("3 times within 10 min");

    restarts.put("c", List.of(T0.minusSeconds(3600), T0.minusSeconds(3000)));
    assertThat(keys(decide())).as("old restarts no longer count").containsExactly("restart/c/3");
  }

  @Test
  void aVmThatStoppedOnAHostThatLostTheSharedStorageRestartsElsewhereAtOnce() {
    images.put("local", new Image("local", "default", "local.qcow2", "qcow2", 10, false));
    host("n1", 16384, HostState.UP).host("n2", 16384, HostState.UP)
        .vm("c", "n1", VmState.STOPPED, VmSpec.of(1, 1024))
        .vm("l", "n1", VmState.STOPPED, VmSpec.of(1, 1024).withDisks(List.of(new DiskSpec("local", 0))));
    observed.put("n1", observed.get("n1").withLeases(org.corral.model.snapshot.StorageLeases.EXPIRED));

    Recovery.Decision d = decide();
    assertThat(keys(d)).as("c needs a lease: elsewhere; l is on local disk: in place").containsExactlyInAnyOrder("restart-elsewhere/c/3", "restart/l/3");
    Action.RecoverVm c = (Action.RecoverVm) d.plan().actions().stream().filter(a -> a.subject().equals("c")).findFirst().orElseThrow();
    assertThat(c.to()).isEqualTo("n2");
    assertThat(c.cause().reason()).contains("n1 has lost the shared storage");
  }

  @Test
  void aVmStoppedByItsUserOrAtHaNoneIsNotRestarted() {
    host("n1", 16384, HostState.UP).vm("none", "n1", VmState.STOPPED, VmSpec.of(1, 1024).withHa(HaLevel.NONE));
    vms.put("asked", new Vm("asked", "u", VmSpec.of(1, 1024), "alice", VmState.STOPPED, DesiredState.STOPPED, "n1", null,
        List.of(), "stopped", T0, T0, 3));

    assertThat(decide().plan().actions()).isEmpty();
    assertThat(decide().givenUp()).isEmpty();
  }

  @Test
  void aHostInMaintenanceIsEvacuatedByLiveMigrationAndWhatCannotMoveSaysWhy() {
    images.put("local", new Image("local", "default", "local.qcow2", "qcow2", 10, false));
    host("n1", 16384, HostState.MAINTENANCE).host("n2", 4096, HostState.UP)
        .vm("a", "n1", VmState.RUNNING, VmSpec.of(1, 2048))
        .vm("b", "n1", VmState.RUNNING, VmSpec.of(1, 4096))
        .vm("c", "n1", VmState.RUNNING, VmSpec.of(1, 1024).withDisks(List.of(new DiskSpec("local", 0))))
        .vm("d", "n1", VmState.STOPPED, VmSpec.of(1, 1024));
    vms.put("d", vms.get("d").withDesired(DesiredState.STOPPED));

    Recovery.Decision d = decide();

    assertThat(d.plan().actions()).singleElement().satisfies(a -> {
      Action.MigrateVm m = (Action.MigrateVm) a;
      assertThat(m.key()).isEqualTo("evacuate/a/3");
      assertThat(m.from() + "->" + m.to()).isEqualTo("n1->n2");
    });
    assertThat(d.plan().notes()).containsExactlyInAnyOrder(
        "b: stays on n1 (maintenance): no host that is on has room for it: " + d.plan().notes().stream()
            .filter(n -> n.startsWith("b:")).findFirst().orElseThrow().substring("b: stays on n1 (maintenance): no host that is on has room for it: ".length()),
        "c: stays on n1 (maintenance): its disk local is on local storage; live migration needs shared storage",
        "d: stays on n1 (maintenance): it is STOPPED, and only a running VM moves live");
  }

  @Test
  void anOffHostIsNeverTreatedAsFailed() {
    host("n1", 16384, HostState.OFF).host("n2", 16384, HostState.UP);

    assertThat(decide().plan().actions()).isEmpty();
    assertThat(decide().plan().notes()).isEmpty();
  }

  @Test
  void vmsAlreadyInHandOrNotWantedRunningAreLeftAlone() {
    host("n1", 16384, HostState.FENCED).host("n2", 16384, HostState.UP).lost("busy", "n1", 1024, HaLevel.HIGH);
    vms.put("stopped-by-user", new Vm("stopped-by-user", "u", VmSpec.of(1, 1024), "alice", VmState.UNKNOWN,
        DesiredState.STOPPED, "n1", null, List.of(), "x", T0, T0, 3));

    assertThat(decide(Set.of("busy"), BMC_ON).plan().actions()).isEmpty();
  }

  // Returns from reserved spares: once nothing fails, the VMs a recovery put on a spare move back.

  private Recovery.Decision decideWithSpares(Recovery.SpareReturn back, Set<String> spares, Set<String> busy) {
    Recovery r = new Recovery(new Scheduler(SchedulerSettings.DEFAULT.withSpares(spares)), CrashRestarts.DEFAULT, GuestHeartbeat.OFF, 4,
        Recovery.SoftFencing.DEFAULT, back);
    Snapshot s = new Snapshot(9, T0, 42, hosts, vms, Map.of(), images, observed);
    return r.decide(s, new RecordingPlanner(busy::contains), h -> BMC_ON, T0, restarts::get);
  }

  private static List<String> moves(Recovery.Decision d) {
    return d.plan().actions().stream().map(a -> (Action.MigrateVm) a).map(m -> m.vm() + ":" + m.from() + "->" + m.to()).toList();
  }

  @Test
  void onceTheFailedHostRejoinedTheVmsOnTheSpareLiveMigrateBackAFewAtATimeHighFirst() {
    host("n1", 16384, HostState.UP).host("spare", 16384, HostState.UP)
        .vm("low", "spare", VmState.RUNNING, VmSpec.of(1, 2048).withHa(HaLevel.LOW))
        .vm("high", "spare", VmState.RUNNING, VmSpec.of(1, 2048).withHa(HaLevel.HIGH))
        .vm("medium", "spare", VmState.RUNNING, VmSpec.of(1, 2048).withHa(HaLevel.MEDIUM));

    Recovery.Decision d = decideWithSpares(Recovery.SpareReturn.DEFAULT, Set.of("spare"), Set.of());

    // Two at once off one host (the executor's maxMigrationsPerHost); the third follows.
    assertThat(moves(d)).containsExactly("high:spare->n1", "medium:spare->n1");
    assertThat(keys(d)).containsExactly("spare-return/high/3", "spare-return/medium/3");
    assertThat(d.plan().actions().getFirst().cause().reason()).startsWith("returns from reserved spare spare: PACKING chose n1");
    assertThat(d.plan().notes()).containsExactly(
        "low: stays on reserved spare spare: for now: 2 migration(s) off one host at once at most (executor.maxMigrationsPerHost); it follows");
  }

  @Test
  void migrationsOfAnEarlierPassStillUnderWayCountAgainstTheLimits() {
    host("n1", 16384, HostState.UP).host("spare", 16384, HostState.UP)
        .vm("a", "spare", VmState.MIGRATING, VmSpec.of(1, 2048)).vm("b", "spare", VmState.RUNNING, VmSpec.of(1, 2048))
        .vm("c", "spare", VmState.RUNNING, VmSpec.of(1, 2048));

    // a migrates, b's migration is queued (busy): c waits.
    Recovery.Decision d = decideWithSpares(Recovery.SpareReturn.DEFAULT, Set.of("spare"), Set.of("b"));

    assertThat(d.plan().actions()).isEmpty();
    assertThat(d.plan().notes()).singleElement().asString().startsWith("c: stays on reserved spare spare: for now: 2 migration(s)");
    // The total over every spare holds too.
    assertThat(moves(decideWithSpares(new Recovery.SpareReturn(true, 4, 3), Set.of("spare"), Set.of("b")))).containsExactly("c:spare->n1");
    assertThat(decideWithSpares(new Recovery.SpareReturn(true, 4, 2), Set.of("spare"), Set.of("b")).plan().notes())
        .containsExactly("c: stays on reserved spare spare: for now: 2 migration(s) off the spares at once at most (executor.maxMigrations); it follows");
  }

  @Test
  void noVmLeavesASpareWhileAHostIsFailingOrARecoveryWaitsOrRuns() {
    host("n2", 16384, HostState.UP).host("spare", 16384, HostState.UP)
        .vm("back", "spare", VmState.RUNNING, VmSpec.of(1, 2048));
    for (HostState failing : List.of(HostState.SUSPECT, HostState.DOWN, HostState.FENCING, HostState.FENCED)) {
      host("n1", 16384, failing);
      Recovery.Decision d = decideWithSpares(Recovery.SpareReturn.DEFAULT, Set.of("spare"), Set.of());
      assertThat(d.plan().actions()).as(failing.name()).noneMatch(a -> a.key().startsWith(Recovery.SPARE_RETURN));
      assertThat(d.plan().notes()).as(failing.name())
          .contains("spare: reserved spare holding 1 VM(s); they move back once nothing fails: host n1 is " + failing);
    }
    host("n1", 16384, HostState.UP);
    for (VmState recovering : List.of(VmState.UNKNOWN, VmState.RECOVERING)) {
      vm("elsewhere", "n2", recovering, VmSpec.of(1, 1024).withHa(HaLevel.NONE)); // not one this pass restarts
      Recovery.Decision d = decideWithSpares(Recovery.SpareReturn.DEFAULT, Set.of("spare"), Set.of("elsewhere"));
      assertThat(d.plan().actions()).as(recovering.name()).isEmpty();
      assertThat(d.plan().notes()).as(recovering.name()).containsExactly("spare: reserved spare holding 1 VM(s); they move back once "
          + "nothing fails: elsewhere is " + recovering + " (a recovery may still need the spare's room)");
    }
    vms.remove("elsewhere");
    assertThat(moves(decideWithSpares(Recovery.SpareReturn.DEFAULT, Set.of("spare"), Set.of()))).containsExactly("back:spare->n1");
  }

  @Test
  void aVmReturnsOnlyWhereTheSchedulerPlacesItNeverToAnotherSpareNorAHostToWake() {
    host("n1", 4096, HostState.UP).host("off", 16384, HostState.OFF).host("spare", 16384, HostState.UP).host("spare2", 16384, HostState.UP)
        .vm("n1-own", "n1", VmState.RUNNING, VmSpec.of(1, 2048))
        .vm("fits", "spare", VmState.RUNNING, VmSpec.of(1, 2048))
        .vm("big", "spare", VmState.RUNNING, VmSpec.of(1, 8192));

    Recovery.Decision d = decideWithSpares(Recovery.SpareReturn.DEFAULT, Set.of("spare", "spare2"), Set.of());

    assertThat(moves(d)).containsExactly("fits:spare->n1");
    assertThat(d.plan().notes()).singleElement().asString().startsWith("big: stays on reserved spare spare: no host that is on has room for it");
  }

  @Test
  void whatCannotMoveLiveSaysWhyAndSpareReturnOffLeavesThemWithANote() {
    images.put("local", new Image("local", "default", "local.qcow2", "qcow2", 10, false));
    host("n1", 16384, HostState.UP).host("spare", 16384, HostState.UP)
        .vm("local", "spare", VmState.RUNNING, VmSpec.of(1, 1024).withDisks(List.of(new DiskSpec("local", 0))))
        .vm("off", "spare", VmState.STOPPED, VmSpec.of(1, 1024))
        .vm("gone", "spare", VmState.FAILED, VmSpec.of(1, 1024));
    vms.put("off", vms.get("off").withDesired(DesiredState.STOPPED));

    assertThat(decideWithSpares(Recovery.SpareReturn.DEFAULT, Set.of("spare"), Set.of()).plan().notes()).containsExactly(
        "local: stays on reserved spare spare: its disk local is on local storage; live migration needs shared storage",
        "off: stays on reserved spare spare: it is STOPPED, and only a running VM moves live");

    vm("running", "spare", VmState.RUNNING, VmSpec.of(1, 1024));
    Recovery.Decision off = decideWithSpares(Recovery.SpareReturn.OFF, Set.of("spare"), Set.of());
    assertThat(off.plan().actions()).isEmpty();
    assertThat(off.plan().notes()).containsExactly(
        "spare: reserved spare holding 3 VM(s); guardian.spareReturn is false, so they stay until moved (corral vm migrate)");
  }
}
