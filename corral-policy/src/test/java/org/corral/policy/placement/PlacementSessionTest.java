package org.corral.policy.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.corral.model.NotFoundException;
import org.corral.model.host.Host;
import org.corral.model.host.HostState;
import org.corral.model.snapshot.HostObservation;
import org.corral.model.snapshot.Snapshot;
import org.corral.model.vm.PlacementPolicy;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmSpec;
import org.junit.jupiter.api.Test;

/** What-if placement: VMs removed from their hosts, hosts excluded, OFF hosts at a cost, unchecked hosts. */
class PlacementSessionTest {
  private final Scheduler packing = new Scheduler(new SchedulerSettings(PlacementPolicy.PACKING, 1.0));

  @Test
  void aRemovedVmFreesItsRoomAndAnExcludedHostTakesNothing() {
    // a is full with x; b is half full with y. Draining a: x may go to b only.
    Snapshot s = new Lab().host("a", 8, 8192).host("b", 8, 8192).host("c", 8, 8192)
        .running("x", "a", 2, 8192).running("y", "b", 2, 4096).snapshot();
    PlacementSession session = packing.session(s, false);
    session.remove("x");
    session.exclude("a");
    Placement p = session.place(s.vm("x")).placement();
    assertThat(p.from()).as("where it moves from").isEqualTo("a");
    assertThat(p.host()).as("c is empty, b has exactly 4 GiB: neither fits 8 GiB but c").isEqualTo("c");
    session.include("a");
    Placement back = session.place(Lab.pending("z", 1, 8192)).placement();
    assertThat(back.host()).as("a's room is free once x left and a is back").isEqualTo("a");
  }

  @Test
  void identicalVmsBeyondCapacityShareOneScanUntilSomethingChanges() {
    // a has room for one 8 GiB VM. v1 takes it; v2 and v3 (same spec) find none: v3 gets v2's
    // report under its own name. Once x leaves a, the same spec is asked again and placed.
    Snapshot s = new Lab().host("a", 8, 16896).running("x", "a", 1, 8192).snapshot();
    PlacementSession session = packing.session(s, false);
    assertThat(session.place(Lab.pending("v1", 1, 8192)).placement().host()).isEqualTo("a");
    PlacementReport r2 = session.place(Lab.pending("v2", 1, 8192)).unplaced();
    PlacementReport r3 = session.place(Lab.pending("v3", 1, 8192)).unplaced();
    assertThat(r2.vm()).isEqualTo("v2");
    assertThat(r3.vm()).isEqualTo("v3");
    assertThat(r3.summary()).isEqualTo(r2.summary()).startsWith("no host fits: ");
    assertThat(r3.rejectedBy()).isEqualTo(r2.rejectedBy());
    // Another spec is not answered from the cache: 256 MiB still fit.
    assertThat(session.place(Lab.pending("tiny", 1, 256)).placement().host()).isEqualTo("a");
    session.remove("x");
    assertThat(session.place(Lab.pending("v4", 1, 8192)).placement().host()).isEqualTo("a");
  }

  @Test
  void anExcludedHostIsCountedInTheReport() {
    Snapshot s = new Lab().host("a", 8, 8192).snapshot();
    PlacementSession session = packing.session(s, false);
    session.exclude("a");
    PlacementReport r = session.place(Lab.pending("v", 1, 1024)).unplaced();
    assertThat(r.rejectedBy()).isEqualTo(Map.of(HostExcludedFilter.REASON, 1));
    assertThat(r.summary()).isEqualTo("no host fits: 1 host is excluded by the caller");
  }

  @Test
  void offHostsAreUsedOnlyWhenNothingThatIsOnFits() {
    Snapshot s = new Lab().host("on", 8, 8192).host("off1", 8, 65536, HostState.OFF, Map.of())
        .host("off2", 8, 65536, HostState.OFF, Map.of()).snapshot();
    PlacementSession session = packing.session(s, true);
    Placement small = session.place(Lab.pending("small", 1, 4096)).placement();
    assertThat(small.host()).isEqualTo("on");
    assertThat(small.powerOn()).isFalse();
    Placement big = session.place(Lab.pending("big", 1, 16384)).placement();
    assertThat(big.host()).isEqualTo("off1");
    assertThat(big.powerOn()).isTrue();
    assertThat(big.reason()).contains("powered off: wake it");
    Placement next = session.place(Lab.pending("next", 1, 16384)).placement();
    assertThat(next.host()).as("the woken host counts as on now: packing fills it before waking another").isEqualTo("off1");
    assertThat(next.powerOn()).as("already being woken").isFalse();
    assertThat(packing.place(s, List.of(Lab.pending("big", 1, 16384))).placements())
        .as("a plain placement never wakes a host").isEmpty();
  }

  @Test
  void aHostNobodyCheckedTakesNoVm() {
    Snapshot s = new Lab().host("new", 8, 8192).unchecked("new").snapshot();
    PlacementReport r = packing.place(s, List.of(Lab.pending("v", 1, 1024))).unplaced().getFirst();
    assertThat(r.rejectedBy()).isEqualTo(Map.of(HostCheckedFilter.REASON, 1));
    assertThat(r.summary()).isEqualTo("no host fits: 1 host has not answered a check yet");
  }

  @Test
  void unknownNamesAreRefused() {
    PlacementSession session = packing.session(new Lab().host("a", 8, 8192).snapshot(), false);
    assertThatThrownBy(() -> session.remove("ghost")).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> session.exclude("ghost")).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> session.remove("p")).isInstanceOf(NotFoundException.class);
  }

  /**
   * Removing VMs and excluding a host in a session gives the same placements as a fresh snapshot
   * in which those VMs are pending and that host is in maintenance; and the indexed search agrees
   * with a full scan through every change (the indexes stay exact).
   */
  @Property(tries = 300, seed = "20261204")
  void aSessionIsTheSameAsTheSnapshotItImagines(@ForAll long seed) {
    RandomLab lab = RandomLab.generate(seed);
    Snapshot s = lab.snapshot();
    SplittableRandom r = new SplittableRandom(seed);
    List<Vm> moving = new ArrayList<>();
    for (Vm vm : s.vms().values()) {
      if (r.nextInt(3) == 0) {
        moving.add(vm);
      }
    }
    String excluded = s.hosts().isEmpty() || r.nextBoolean() ? null
        : new ArrayList<>(s.hosts().keySet()).get(r.nextInt(s.hosts().size()));
    List<Vm> toPlace = new ArrayList<>(moving);
    toPlace.addAll(lab.pending());

    List<String> indexed = hosts(session(new Scheduler(lab.settings()), s, moving, excluded), toPlace);
    List<String> scanned = hosts(session(new Scheduler(lab.settings(), false), s, moving, excluded), toPlace);
    assertThat(indexed).as("index and scan agree after removals and exclusion").isEqualTo(scanned);

    Map<String, Host> hosts = new HashMap<>(s.hosts());
    if (excluded != null) {
      Host h = hosts.get(excluded);
      hosts.put(excluded, new Host(h.name(), h.uri(), h.capacity(), h.labels(), h.power(), h.powerModel(), HostState.MAINTENANCE,
          "imagined", h.stateSince(), h.version()));
    }
    Map<String, Vm> vms = new HashMap<>(s.vms());
    List<Vm> asPending = new ArrayList<>();
    for (Vm vm : moving) {
      vms.remove(vm.name());
      asPending.add(Lab.pending(vm.name(), vm.spec()));
    }
    asPending.addAll(lab.pending());
    Map<String, HostObservation> observed = new HashMap<>();
    s.hosts().keySet().forEach(h -> observed.put(h, s.observation(h)));
    Snapshot imagined = new Snapshot(s.cycle(), s.now(), s.seed(), hosts, vms, Map.of(), Map.of(), observed);
    PlacementResult fresh = new Scheduler(lab.settings()).place(imagined, asPending);
    List<String> expected = new ArrayList<>();
    for (Vm vm : asPending) {
      expected.add(fresh.placements().stream().filter(p -> p.vm().equals(vm.name())).map(Placement::host).findFirst().orElse("-"));
    }
    assertThat(indexed).as("same as a snapshot where the moving VMs are pending and %s is in maintenance", excluded)
        .isEqualTo(expected);
  }

  private static PlacementSession session(Scheduler scheduler, Snapshot s, List<Vm> moving, String excluded) {
    PlacementSession session = scheduler.session(s, false);
    moving.forEach(vm -> session.remove(vm.name()));
    if (excluded != null) {
      session.exclude(excluded);
    }
    return session;
  }

  private static List<String> hosts(PlacementSession session, List<Vm> vms) {
    List<String> out = new ArrayList<>();
    for (Vm vm : vms) {
      PlacementSession.PlacementOutcome o = session.place(vm);
      out.add(o.isPlaced() ? o.placement().host() : "-");
    }
    return out;
  }

}
