package org.corral.policy.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.corral.model.host.HostState;
import org.corral.model.snapshot.Snapshot;
import org.corral.model.vm.PlacementPolicy;
import org.corral.model.vm.VmSpec;
import org.corral.policy.expr.ExpressionKind;
import org.corral.policy.expr.Expressions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** One table per filter: the host "h" (index 0) of a one-host snapshot, and a candidate VM. */
class FiltersTest {
  private static Candidate candidate(VmSpec spec) {
    var requirements = spec.requirements() == null ? null
        : Expressions.compile("spec.requirements", spec.requirements(), ExpressionKind.REQUIREMENTS);
    return new Candidate(Lab.pending("v", spec), PlacementPolicy.PACKING, requirements, null);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @EnumSource(HostState.class)
  void hostUpFilterAcceptsOnlyUp(HostState hostState) {
    PlacementState s = new PlacementState(new Lab().host("h", 4, 4096, hostState, Map.of()).snapshot(), 1.0);
    assertThat(new HostUpFilter().accepts(s, 0, candidate(VmSpec.of(1, 1)))).isEqualTo(hostState == HostState.UP);
  }

  @ParameterizedTest(name = "capacity {0}, reserved {1}, needs {2} -> {3}")
  @CsvSource({
      "8192, 0,    8192, true",
      "8192, 1,    8192, false",
      "8192, 4096, 4096, true",
      "8192, 4097, 4096, false",
      "8192, 8192, 1,    false"})
  void memoryFitFilterNeverOvercommits(long capacity, long reserved, long needs, boolean accepted) {
    Lab lab = new Lab().host("h", 64, capacity);
    if (reserved > 0) {
      lab.running("x", "h", 1, reserved);
    }
    PlacementState s = new PlacementState(lab.snapshot(), 4.0);
    assertThat(new MemoryFitFilter().accepts(s, 0, candidate(VmSpec.of(1, needs)))).isEqualTo(accepted);
  }

  @ParameterizedTest(name = "{0} cores x {1}, {2} reserved, needs {3} -> {4}")
  @CsvSource({
      "4, 1.0, 0, 4, true",
      "4, 1.0, 1, 4, false",
      "4, 2.0, 4, 4, true",
      "4, 2.0, 5, 4, false",
      "3, 1.5, 2, 2, true",
      "3, 0.5, 0, 2, false"})
  void cpuFitFilterHonoursOvercommit(int cores, double overcommit, int reserved, int needs, boolean accepted) {
    Lab lab = new Lab().host("h", cores, 65536);
    if (reserved > 0) {
      lab.running("x", "h", reserved, 1);
    }
    PlacementState s = new PlacementState(lab.snapshot(), overcommit);
    assertThat(new CpuFitFilter().accepts(s, 0, candidate(VmSpec.of(needs, 1)))).isEqualTo(accepted);
  }

  @ParameterizedTest(name = "member of {0} on host, VM in {1} -> {2}")
  @CsvSource(nullValues = "-", value = {
      "web, web, false",
      "web, db,  true",
      "-,   web, true",
      "web, -,   true"})
  void antiAffinityFilterKeepsMembersApart(String runningGroup, String vmGroup, boolean accepted) {
    Snapshot snap = new Lab().host("h", 16, 16384).running("x", "h", VmSpec.of(1, 1).withGroups(null, runningGroup)).snapshot();
    PlacementState s = new PlacementState(snap, 1.0);
    assertThat(new AntiAffinityFilter().accepts(s, 0, candidate(VmSpec.of(1, 1).withGroups(null, vmGroup)))).isEqualTo(accepted);
  }

  @ParameterizedTest(name = "member of {0} on h, of {1} on other, VM in {2} -> {3}")
  @CsvSource(nullValues = "-", value = {
      "db, -,  db, true",
      "-,  db, db, false",
      "-,  -,  db, true",
      "db, db, db, true",
      "-,  db, -,  true"})
  void affinityFilterFollowsTheGroup(String onH, String onOther, String vmGroup, boolean accepted) {
    Snapshot snap = new Lab().host("h", 16, 16384).host("other", 16, 16384)
        .running("x", "h", VmSpec.of(1, 1).withGroups(onH, null))
        .running("y", "other", VmSpec.of(1, 1).withGroups(onOther, null)).snapshot();
    PlacementState s = new PlacementState(snap, 1.0);
    assertThat(new AffinityFilter().accepts(s, 0, candidate(VmSpec.of(1, 1).withGroups(vmGroup, null)))).isEqualTo(accepted);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "host.labels[\"zone\"] == \"a\"                          | true",
      "host.labels[\"zone\"] == \"b\"                          | false",
      "\"ssd\" in host.labels && host.cpuUtilisation < 0.8     | true",
      "\"ssd\" in host.labels && host.cpuUtilisation < 0.5     | false",
      "\"gpu\" in host.labels                                  | false",
      "host.labels[\"gpu\"] == \"x\"                           | false",
      "host.cores >= 16 && host.memoryMib == 16384           | true",
      "host.free.memoryMib >= vm.memoryMib * 2               | true",
      "host.free.cpus > 14                                   | true",
      "host.vms == 1 && host.state == \"UP\" && host.name == \"h\" | true",
      "vm.labels[\"tier\"] == \"gold\" && vm.name == \"v\"         | true",
      "host.mhzPerCore > 3000                                | false"})
  void requirementsFilterEvaluatesCel(String expr, boolean accepted) {
    Snapshot snap = new Lab().host("h", 16, 16384, HostState.UP, Map.of("zone", "a", "ssd", "yes"))
        .running("x", "h", 1, 1024).utilisation("h", 0.6).snapshot();
    PlacementState s = new PlacementState(snap, 1.0);
    VmSpec spec = new VmSpec(1, 1024, null, null, expr, null, null, null, null, null, null, Map.of("tier", "gold"));
    assertThat(new RequirementsFilter().accepts(s, 0, candidate(spec))).isEqualTo(accepted);
  }

  @ParameterizedTest(name = "label {0}, named {1}, spare pass {2} -> {3}")
  @CsvSource(nullValues = "-", value = {
      "-,     false, false, true",
      "-,     false, true,  false",
      "true,  false, false, false",
      "true,  false, true,  true",
      "false, false, false, true",
      "-,     true,  false, false",
      "-,     true,  true,  true"})
  void spareHostFilterKeepsSparesForTheRecoverySparePass(String label, boolean named, boolean spareMode, boolean accepted) {
    Map<String, String> labels = label == null ? Map.of() : Map.of(SchedulerSettings.SPARE_LABEL, label);
    SchedulerSettings settings = SchedulerSettings.DEFAULT.withSpares(named ? java.util.Set.of("h") : java.util.Set.of());
    PlacementState s = new PlacementState(new Lab().host("h", 4, 4096, HostState.UP, labels).snapshot(), 1.0, settings::spare);
    s.spareMode = spareMode;
    assertThat(new SpareHostFilter().accepts(s, 0, candidate(VmSpec.of(1, 1)))).isEqualTo(accepted);
  }

  @Test
  void everyFilterHasADistinctReasonInPipelineOrder() {
    List<String> reasons = Pipelines.build(PlacementPolicy.PACKING).filters().stream().map(HostFilter::reason).toList();
    assertThat(reasons).doesNotHaveDuplicates().containsExactly("host-not-up", "host-unchecked", "host-excluded", "host-spare",
        "host-storage-lost", "insufficient-memory", "insufficient-cpu", "anti-affinity", "affinity", "requirements-false");
  }

  @ParameterizedTest(name = "leases {0}, disks {1} -> {2}")
  @CsvSource(nullValues = "-", value = {
      "EXPIRED, shared,       false",
      "EXPIRED, local+shared, false",
      "EXPIRED, local,        true",
      "EXPIRED, -,            false",
      "EXPIRED, missing,      true",
      "HELD,    shared,       true",
      "UNKNOWN, shared,       true"})
  void storageLeaseFilterKeepsVmsOnSharedStorageOffAHostThatLostIt(org.corral.model.snapshot.StorageLeases leases, String disks,
      boolean accepted) {
    PlacementState s = new PlacementState(new Lab().host("h", 16, 16384).leases("h", leases)
        .image("shared", true).image("local", false).snapshot(), 1.0);
    List<org.corral.model.vm.DiskSpec> d = disks == null ? List.of()
        : java.util.Arrays.stream(disks.split("\\+")).map(i -> new org.corral.model.vm.DiskSpec(i, 10)).toList();
    assertThat(new StorageLeaseFilter().accepts(s, 0, candidate(VmSpec.of(1, 1).withDisks(d)))).isEqualTo(accepted);
  }

  @Test
  void aVmOnSharedStorageIsPlacedBesideAHostThatLostItAndTheReportSaysWhyWhenNoneIsLeft() {
    VmSpec spec = VmSpec.of(1, 512).withDisks(List.of(new org.corral.model.vm.DiskSpec("shared", 10)));
    Lab lab = new Lab().host("a", 16, 16384).host("b", 2, 2048).leases("a", org.corral.model.snapshot.StorageLeases.EXPIRED)
        .image("shared", true);
    Scheduler scheduler = new Scheduler(SchedulerSettings.DEFAULT);
    PlacementResult placed = scheduler.place(lab.snapshot(), List.of(Lab.pending("v", spec)));
    assertThat(placed.placements()).singleElement().extracting(Placement::host).as("b is smaller but holds its leases").isEqualTo("b");

    PlacementResult nowhere = scheduler.place(lab.leases("b", org.corral.model.snapshot.StorageLeases.EXPIRED).snapshot(),
        List.of(Lab.pending("v", spec)));
    assertThat(nowhere.placements()).isEmpty();
    PlacementReport why = nowhere.unplaced().get(0);
    assertThat(why.rejectedBy()).containsEntry(StorageLeaseFilter.REASON, 2);
    assertThat(why.summary()).contains("2 hosts have lost the shared storage (storage leases EXPIRED): v needs a storage lease there");
  }
}
