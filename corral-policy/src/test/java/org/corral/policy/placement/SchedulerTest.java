package org.corral.policy.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.corral.model.host.HostState;
import org.corral.model.host.PowerModel;
import org.corral.model.plan.Action;
import org.corral.model.plan.Origin;
import org.corral.model.plan.Plan;
import org.corral.model.plan.RecordingPlanner;
import org.corral.model.snapshot.Snapshot;
import org.corral.model.vm.PlacementPolicy;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmSpec;
import org.junit.jupiter.api.Test;

class SchedulerTest {
  private final Scheduler packing = new Scheduler(SchedulerSettings.DEFAULT);

  private static Scheduler with(PlacementPolicy policy) {
    return new Scheduler(new SchedulerSettings(policy, 1.0));
  }

  private static List<String> hostsOf(PlacementResult r) {
    return r.placements().stream().map(Placement::host).toList();
  }

  @Test
  void packingChoosesTheFullestHostThatFits() {
    // a: 75% memory reserved; b: 50%; c: 0%. A 4 GiB VM fits on all; a is fullest.
    Snapshot s = new Lab().host("a", 16, 16384).host("b", 16, 16384).host("c", 16, 16384)
        .running("x", "a", 2, 12288).running("y", "b", 2, 8192).snapshot();
    PlacementResult r = packing.place(s, List.of(Lab.pending("web", 2, 4096)));
    assertThat(hostsOf(r)).as("a is 75%% full and still fits 4 GiB").containsExactly("a");
    Placement d = r.placements().getFirst();
    assertThat(d.vm()).isEqualTo("web");
    assertThat(d.from()).as("a new VM comes from nowhere").isNull();
    assertThat(d.powerOn()).isFalse();
    assertThat(d.reason()).startsWith("PACKING chose a: score 1.0000").contains("0 MiB");
  }

  @Test
  void packingSkipsTheFullestWhenItLacksRoomAndFillsHostsOneAfterAnother() {
    Snapshot s = new Lab().host("a", 16, 16384).host("b", 16, 16384).running("x", "a", 2, 14336).snapshot();
    PlacementResult r = packing.place(s, List.of(Lab.pending("v1", 1, 4096), Lab.pending("v2", 1, 4096),
        Lab.pending("v3", 1, 2048)));
    // v1 does not fit a (2 GiB free) -> b; v2 then prefers b (fuller now); v3 fits a exactly.
    assertThat(hostsOf(r)).containsExactly("b", "b", "a");
  }

  @Test
  void packingPrefersTheHigherMemoryShareAcrossHostSizes() {
    // big: 200 of 256 GiB reserved (78%); small: 32 of 64 GiB (50%) but less free in absolute terms.
    Snapshot s = new Lab().host("big", 64, 262144).host("small", 16, 65536)
        .running("x", "big", 8, 204800).running("y", "small", 4, 32768).snapshot();
    assertThat(hostsOf(packing.place(s, List.of(Lab.pending("v", 1, 1024))))).containsExactly("big");
  }

  @Test
  void packingBreaksEqualMemoryByCpuThenByName() {
    Snapshot s = new Lab().host("a", 16, 16384).host("b", 16, 16384).host("c", 16, 16384)
        .running("x", "a", 2, 8192).running("y", "b", 8, 8192).running("z", "c", 8, 8192).snapshot();
    // b and c have equal memory and CPU reserved and beat a on CPU; b sorts first.
    assertThat(hostsOf(packing.place(s, List.of(Lab.pending("v", 1, 1024))))).containsExactly("b");
  }

  @Test
  void stripingSpreadsOverTheHostsWithFewestVms() {
    Snapshot s = new Lab().host("a", 16, 16384).host("b", 16, 16384).host("c", 16, 16384)
        .running("x", "a", 1, 1024).running("y", "b", 1, 1024).running("z", "b", 1, 1024).snapshot();
    PlacementResult r = with(PlacementPolicy.STRIPING).place(s,
        List.of(Lab.pending("v1", 1, 1024), Lab.pending("v2", 1, 1024), Lab.pending("v3", 1, 1024)));
    // c has no VM; then a and c have one each with equal memory, a sorts first; then c.
    assertThat(hostsOf(r)).containsExactly("c", "a", "c");
  }

  @Test
  void loadAwarePrefersTheMostFreeMeasuredCpu() {
    Snapshot s = new Lab().host("busy", 16, 16384).host("idle", 16, 16384).host("mid", 16, 16384)
        .utilisation("busy", 0.9).utilisation("idle", 0.05).utilisation("mid", 0.5).snapshot();
    PlacementResult r = with(PlacementPolicy.LOAD_AWARE).place(s, List.of(Lab.pending("v", 2, 1024)));
    assertThat(hostsOf(r)).containsExactly("idle");
    assertThat(r.placements().getFirst().reason()).startsWith("LOAD_AWARE chose idle").contains("measured CPU 5%");
  }

  @Test
  void loadAwareCountsVmsPlacedInTheSameCall() {
    // idle has 8 cores at 0%, other 8 cores at 40% (4.8 free). After two 4-vCPU VMs idle has 0 free.
    Snapshot s = new Lab().host("idle", 8, 65536).host("other", 8, 65536).utilisation("other", 0.4).snapshot();
    PlacementResult r = with(PlacementPolicy.LOAD_AWARE).place(s,
        List.of(Lab.pending("v1", 4, 1024), Lab.pending("v2", 2, 1024)));
    assertThat(hostsOf(r)).as("after v1 idle has 4 cores free, other 4.8").containsExactly("idle", "other");
  }

  @Test
  void powerAwareAvoidsWakingAnEmptyHostAndPrefersTheFlatterCurve() {
    PowerModel steep = PowerModel.linear(100, 400);
    PowerModel flat = PowerModel.linear(100, 150);
    Snapshot s = new Lab()
        .host("empty", 16, 65536, HostState.UP, Map.of(), flat)
        .host("steep", 16, 65536, HostState.UP, Map.of(), steep)
        .host("flat", 16, 65536, HostState.UP, Map.of(), flat)
        .running("x", "steep", 4, 1024).running("y", "flat", 4, 1024).snapshot();
    PlacementResult r = with(PlacementPolicy.POWER_AWARE).place(s, List.of(Lab.pending("v", 4, 1024)));
    // empty: 0 -> 112.5 W; steep: +75 W; flat: +12.5 W.
    assertThat(hostsOf(r)).containsExactly("flat");
    assertThat(r.placements().getFirst().reason()).contains("+12.5 W");
  }

  @Test
  void customRankPicksTheHighestRank() {
    Snapshot s = new Lab().host("a", 16, 16384).host("b", 16, 32768).host("c", 16, 8192).snapshot();
    VmSpec spec = VmSpec.of(1, 1024).withPolicy(PlacementPolicy.CUSTOM, "host.free.memoryMib");
    assertThat(hostsOf(packing.place(s, List.of(Lab.pending("v", spec))))).containsExactly("b");
    VmSpec coolest = VmSpec.of(1, 1024).withPolicy(PlacementPolicy.CUSTOM, "-host.cpuUtilisation");
    Snapshot loaded = new Lab().host("a", 16, 16384).host("b", 16, 16384).utilisation("a", 0.2).utilisation("b", 0.7).snapshot();
    assertThat(hostsOf(packing.place(loaded, List.of(Lab.pending("v", coolest))))).containsExactly("a");
  }

  @Test
  void aVmsOwnPolicyOverridesTheDefault() {
    Snapshot s = new Lab().host("a", 16, 16384).host("b", 16, 16384).running("x", "a", 1, 8192).snapshot();
    Vm spread = Lab.pending("spread", VmSpec.of(1, 1024).withPolicy(PlacementPolicy.STRIPING, null));
    Vm packed = Lab.pending("packed", 1, 1024);
    assertThat(hostsOf(packing.place(s, List.of(spread, packed)))).containsExactly("b", "a");
  }

  @Test
  void requirementsRestrictTheHosts() {
    Snapshot s = new Lab().host("a", 16, 16384, HostState.UP, Map.of("zone", "a"))
        .host("b", 16, 16384, HostState.UP, Map.of("zone", "b", "ssd", "yes"))
        .host("c", 16, 16384, HostState.UP, Map.of("ssd", "yes")).utilisation("c", 0.95).snapshot();
    Vm zoneB = Lab.pending("v1", VmSpec.of(1, 1024).withRequirements("host.labels[\"zone\"] == \"b\""));
    Vm ssdCool = Lab.pending("v2", VmSpec.of(1, 1024).withRequirements("\"ssd\" in host.labels && host.cpuUtilisation < 0.8"));
    assertThat(hostsOf(packing.place(s, List.of(zoneB, ssdCool)))).containsExactly("b", "b");
  }

  @Test
  void requirementsThatReadFreeResourcesSeeEarlierPlacementsOfTheCall() {
    Snapshot s = new Lab().host("a", 16, 16384).host("b", 16, 16384).snapshot();
    VmSpec spec = VmSpec.of(1, 4096).withRequirements("host.vms == 0");
    PlacementResult r = packing.place(s, List.of(Lab.pending("v1", spec), Lab.pending("v2", spec), Lab.pending("v3", spec)));
    assertThat(hostsOf(r)).containsExactly("a", "b");
    assertThat(r.unplaced()).extracting(PlacementReport::vm).containsExactly("v3");
    assertThat(r.unplaced().getFirst().rejectedBy()).containsEntry(RequirementsFilter.REASON, 2);
  }

  @Test
  void affinityKeepsAGroupOnTheHostOfItsFirstMember() {
    Snapshot s = new Lab().host("a", 16, 16384).host("b", 16, 16384).running("x", "a", 1, 8192).snapshot();
    VmSpec db = VmSpec.of(1, 1024).withGroups("db", null);
    PlacementResult r = with(PlacementPolicy.STRIPING).place(s,
        List.of(Lab.pending("db1", db), Lab.pending("db2", db), Lab.pending("db3", db)));
    // Striping alone would alternate; the group follows its first member (placed on empty b).
    assertThat(hostsOf(r)).containsExactly("b", "b", "b");
  }

  @Test
  void affinityFollowsAMemberAlreadyRunning() {
    Snapshot s = new Lab().host("a", 16, 16384).host("b", 16, 16384).running("x", "a", 1, 8192)
        .running("db0", "b", VmSpec.of(1, 1024).withGroups("db", null)).snapshot();
    PlacementResult r = packing.place(s, List.of(Lab.pending("db1", VmSpec.of(1, 1024).withGroups("db", null))));
    assertThat(hostsOf(r)).as("packing prefers a, affinity wins").containsExactly("b");
  }

  @Test
  void affinityReportsWhenTheMembersHostIsFull() {
    Snapshot s = new Lab().host("a", 16, 16384).host("b", 16, 16384)
        .running("db0", "b", VmSpec.of(1, 16000).withGroups("db", null)).snapshot();
    PlacementResult r = packing.place(s, List.of(Lab.pending("db1", VmSpec.of(1, 1024).withGroups("db", null))));
    assertThat(r.placements()).isEmpty();
    PlacementReport report = r.unplaced().getFirst();
    assertThat(report.rejectedBy()).isEqualTo(Map.of(MemoryFitFilter.REASON, 1, AffinityFilter.REASON, 1));
    assertThat(report.summary()).contains("1 host does not hold affinity group 'db' (members on b)");
  }

  @Test
  void antiAffinitySpreadsAGroupAndReportsWhenHostsRunOut() {
    Snapshot s = new Lab().host("a", 16, 16384).host("b", 16, 16384).host("c", 16, 16384)
        .running("web0", "c", VmSpec.of(1, 1024).withGroups(null, "web")).snapshot();
    VmSpec web = VmSpec.of(1, 1024).withGroups(null, "web");
    PlacementResult r = packing.place(s, List.of(Lab.pending("web1", web), Lab.pending("web2", web), Lab.pending("web3", web)));
    assertThat(hostsOf(r)).containsExactly("a", "b");
    PlacementReport report = r.unplaced().getFirst();
    assertThat(report.vm()).isEqualTo("web3");
    assertThat(report.rejectedBy()).isEqualTo(Map.of(AntiAffinityFilter.REASON, 3));
    assertThat(report.summary()).isEqualTo("no host fits: 3 hosts already hold a member of anti-affinity group 'web'");
  }

  @Test
  void unplaceableVmGetsAReportCountingEachReason() {
    Lab lab = new Lab();
    for (int i = 0; i < 12; i++) {
      lab.host("small" + i, 16, 8192).running("x" + i, "small" + i, 1, 4096);
    }
    lab.host("off1", 64, 262144, HostState.OFF, Map.of()).host("off2", 64, 262144, HostState.MAINTENANCE, Map.of())
        .host("off3", 64, 262144, HostState.DOWN, Map.of());
    lab.host("cpu", 2, 65536);
    lab.host("zoned", 64, 65536, HostState.UP, Map.of("zone", "b"));
    Vm vm = Lab.pending("big", VmSpec.of(4, 8192).withRequirements("host.labels[\"zone\"] == \"a\""));
    PlacementResult r = packing.place(lab.snapshot(), List.of(vm));
    assertThat(r.placements()).isEmpty();
    PlacementReport report = r.unplaced().getFirst();
    assertThat(report.rejectedBy()).isEqualTo(Map.of(MemoryFitFilter.REASON, 12, HostUpFilter.REASON, 3,
        CpuFitFilter.REASON, 1, RequirementsFilter.REASON, 1));
    assertThat(report.summary()).startsWith("no host fits: 12 hosts lack memory (needs 8192 MiB, largest free 65536 MiB), "
        + "3 hosts are not UP, 1 host lacks CPU (needs 4 vCPUs, largest free 64.0), 1 host fails requirements "
        + "'host.labels[\"zone\"] == \"a\"' (it cannot be evaluated on some hosts, e.g. cpu: ");
    Plan plan = new PendingVmPolicy(packing).decide(lab.pendingInSnapshot(vm).cycle(7).snapshot(), new RecordingPlanner()).plan();
    assertThat(plan.cycle()).isEqualTo(7);
    assertThat(plan.origin()).isEqualTo(Origin.SCHEDULER);
    assertThat(plan.actions()).isEmpty();
    assertThat(plan.notes()).containsExactly("big: " + report.summary());
  }

  @Test
  void requirementsOnAMissingLabelAreFalseAndSaySo() {
    Snapshot s = new Lab().host("a", 16, 16384).snapshot();
    Vm vm = Lab.pending("v", VmSpec.of(1, 1024).withRequirements("host.labels[\"zone\"] == \"a\""));
    PlacementReport report = packing.place(s, List.of(vm)).unplaced().getFirst();
    assertThat(report.rejectedBy()).isEqualTo(Map.of(RequirementsFilter.REASON, 1));
    assertThat(report.summary()).contains("it cannot be evaluated on some hosts, e.g. a: ").contains("zone");
  }

  @Test
  void aVmWithABadExpressionIsReportedNotThrown() {
    Snapshot s = new Lab().host("a", 16, 16384).snapshot();
    Vm vm = Lab.pending("v", VmSpec.of(1, 1024).withRequirements("host.cores >"));
    PlacementResult r = packing.place(s, List.of(vm, Lab.pending("ok", 1, 1024)));
    assertThat(hostsOf(r)).containsExactly("a");
    assertThat(r.unplaced().getFirst().summary()).startsWith("cannot be placed: spec.requirements: does not compile");
    assertThat(r.unplaced().getFirst().rejectedBy()).isEqualTo(Map.of(UnplacedReports.INVALID_REQUIREMENTS, 1));
  }

  @Test
  void noHostsAtAllIsReported() {
    PlacementResult r = packing.place(new Lab().snapshot(), List.of(Lab.pending("v", 1, 1)));
    assertThat(r.unplaced().getFirst().summary()).isEqualTo("no host fits: there are no hosts");
  }

  @Test
  void cpuOvercommitAllowsMoreVcpusThanCores() {
    Snapshot s = new Lab().host("a", 4, 65536).running("x", "a", 4, 1024).snapshot();
    Vm vm = Lab.pending("v", 4, 1024);
    assertThat(packing.place(s, List.of(vm)).placements()).isEmpty();
    assertThat(new Scheduler(new SchedulerSettings(PlacementPolicy.PACKING, 2.0)).place(s, List.of(vm)).placements())
        .hasSize(1);
  }

  @Test
  void convergedSnapshotGivesAnEmptyPlan() {
    Snapshot s = new Lab().host("a", 16, 16384).running("x", "a", 1, 1024).snapshot();
    PlacementResult r = packing.place(s, s.pending());
    assertThat(r.placements()).isEmpty();
    assertThat(r.unplaced()).isEmpty();
    RecordingPlanner planner = new RecordingPlanner();
    planner.submit(new PendingVmPolicy(packing).decide(s, planner).plan());
    assertThat(planner.actions()).as("a converged snapshot gives an empty plan").isEmpty();
    assertThat(planner.plans().getFirst().notes()).isEmpty();
  }

  @Test
  void pendingVmsOfTheSnapshotArePlacedInTheirOrder() {
    Vm first = Lab.pending("first", 1, 8192);
    Snapshot s = new Lab().host("a", 16, 8192).pendingInSnapshot(first).pendingInSnapshot(
        Vm.pending("second", "u2", VmSpec.of(1, 8192), "bob", List.of(), Lab.T0.plusSeconds(1))).snapshot();
    PlacementResult r = packing.place(s, s.pending());
    assertThat(hostsOf(r)).containsExactly("a");
    assertThat(r.unplaced()).extracting(PlacementReport::vm).containsExactly("second");
  }

  @Test
  void neverMutatesItsInputs() {
    Snapshot s = new Lab().host("a", 16, 16384).running("x", "a", 2, 4096).snapshot();
    java.util.ArrayList<Vm> vms = new java.util.ArrayList<>(List.of(Lab.pending("v1", 1, 1024), Lab.pending("v2", 1, 1024)));
    List<Vm> before = List.copyOf(vms);
    packing.place(s, vms);
    assertThat(vms).isEqualTo(before);
    assertThat(s.reserved("a")).as("the snapshot keeps its own reservations").isEqualTo(new org.corral.model.Resources(2, 4096));
    assertThat(s.vmsOn("a")).extracting(Vm::name).containsExactly("x");
  }

  @Test
  void customPolicyWithoutARankIsReported() {
    Snapshot s = new Lab().host("a", 16, 16384).snapshot();
    Vm vm = Lab.pending("v", new VmSpec(1, 1024, null, null, null, PlacementPolicy.CUSTOM, null, null, null, null, null, null));
    PlacementReport report = packing.place(s, List.of(vm)).unplaced().getFirst();
    assertThat(report.rejectedBy()).isEqualTo(Map.of(UnplacedReports.INVALID_RANK, 1));
    assertThat(report.summary()).isEqualTo("cannot be placed: spec.rank: is required when spec.policy is CUSTOM; "
        + "give a CEL expression such as 'host.free.memoryMib'");
  }

  @Test
  void aLastResortHostTakesOnlyWhatFitsNowhereElseOrWhatAsksForIt() {
    Map<String, String> cloud = Map.of("placement", "last-resort", "cloud", "ec2");
    // The cloud is empty and large: packing would pick it first were it not last-resort.
    Snapshot s = new Lab().host("cloud", 64, 65536, HostState.UP, cloud).host("local", 2, 4096)
        .running("x", "local", 1, 1024).snapshot();
    PlacementResult r = packing.place(s, List.of(Lab.pending("v1", 1, 2048), Lab.pending("v2", 1, 2048),
        Lab.pending("asks", VmSpec.of(1, 512).withRequirements("host.labels[\"cloud\"] == \"ec2\""))));
    assertThat(r.placements().stream().collect(java.util.stream.Collectors.toMap(Placement::vm, Placement::host)))
        .as("v1 fits locally; v2 does not; asks selects the cloud")
        .isEqualTo(Map.of("v1", "local", "v2", "cloud", "asks", "cloud"));
  }

  @Test
  void anOrdinaryVmNeverGoesToASpareAndTheReportSaysWhy() {
    Scheduler spares = new Scheduler(SchedulerSettings.DEFAULT.withSpares(java.util.Set.of("s1")));
    Snapshot s = new Lab().host("a", 4, 4096).host("s1", 64, 262144)
        .host("s2", 64, 262144, HostState.UP, Map.of(SchedulerSettings.SPARE_LABEL, "true")).running("x", "a", 4, 4096).snapshot();

    PlacementResult r = spares.place(s, List.of(Lab.pending("v", 1, 1024)));

    assertThat(r.placements()).as("only spares have room, and spares take no ordinary VM").isEmpty();
    PlacementReport why = r.unplaced().getFirst();
    assertThat(why.rejectedBy()).containsEntry("host-spare", 2).containsEntry("insufficient-memory", 1);
    assertThat(why.summary()).contains("2 hosts are reserved spares (kept for the VMs of a failed host)");
  }

  @Test
  void aRecoveryTriesSparesThatAreOnFirstThenHostsThatAreOnThenSparesToWake() {
    Scheduler spares = new Scheduler(SchedulerSettings.DEFAULT.withSpares(java.util.Set.of("s-on", "s-off")));
    Snapshot s = new Lab().host("a", 16, 16384).host("s-on", 16, 4096).host("s-off", 16, 16384, HostState.OFF, Map.of())
        .host("z-off", 16, 16384, HostState.OFF, Map.of()).snapshot();
    PlacementSession session = spares.session(s, true);

    Placement first = session.placeForRecovery(Lab.pending("v1", 1, 4096)).placement();
    Placement second = session.placeForRecovery(Lab.pending("v2", 1, 16384)).placement();
    Placement third = session.placeForRecovery(Lab.pending("v3", 1, 16384)).placement();
    Placement fourth = session.placeForRecovery(Lab.pending("v4", 1, 16384)).placement();

    assertThat(first).extracting(Placement::host, Placement::powerOn).as("the spare that is on, though a is fuller").containsExactly("s-on", false);
    assertThat(second).extracting(Placement::host, Placement::powerOn).as("then a host that is on").containsExactly("a", false);
    assertThat(third).extracting(Placement::host, Placement::powerOn).as("then a spare to wake, before z-off")
        .containsExactly("s-off", true);
    assertThat(fourth).extracting(Placement::host, Placement::powerOn).containsExactly("z-off", true);
  }
}
