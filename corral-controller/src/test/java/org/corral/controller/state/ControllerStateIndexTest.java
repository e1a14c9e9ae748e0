package org.corral.controller.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.corral.controller.store.InMemoryStore;
import org.corral.model.Resources;
import org.corral.model.time.VirtualClock;
import org.corral.model.vm.DesiredState;
import org.corral.model.vm.NicLease;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmSpec;
import org.corral.model.vm.VmState;

/** The state's indexes (VMs by host, by migration target, by UUID; leases) always equal a full scan. */
class ControllerStateIndexTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  record Op(boolean delete, int vm, int host, int target, VmState state, int lease) {}

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Op> op = Combinators.combine(Arbitraries.integers().between(0, 9).map(i -> i == 0),
        Arbitraries.integers().between(0, 11), Arbitraries.integers().between(-1, 3), Arbitraries.integers().between(-1, 3),
        Arbitraries.of(VmState.class).filter(s -> s != VmState.DELETED), Arbitraries.integers().between(-1, 20)).as(Op::new);
    return op.list().ofMaxSize(80);
  }

  @Property(tries = 200, seed = "20261126")
  void indexesMatchAFullScan(@ForAll("ops") List<Op> ops) {
    ControllerState s = new ControllerState(new InMemoryStore(), new VirtualClock());
    for (Op o : ops) {
      apply(s, o);
    }
    assertIndexesMatchAScan(s);
  }

  /** Commits {@code o} as one Tx. */
  static void apply(ControllerState s, Op o) {
    String name = "vm" + o.vm();
    if (o.delete()) {
      if (s.vm(name).isPresent()) {
        s.tx().deleteVm(name).commit();
      }
      return;
    }
    String host = o.host() < 0 ? null : "h" + o.host();
    // A migration always goes to another host (the command and the executor refuse the same one).
    String target = o.target() < 0 || o.state() != VmState.MIGRATING || o.target() == o.host() ? null : "h" + o.target();
    List<NicLease> leases = o.lease() < 0 ? List.of() : 
        // Leases are unique per VM (the allocator never hands one out twice): one per VM number.
        List.of(new NicLease("n", "10.0.0." + o.vm(), "52:54:00:00:00:" + (10 + o.vm())));
    VmSpec spec = o.vm() % 3 == 0
        ? new VmSpec(1 + o.vm() % 3, 256L * (1 + o.vm()), List.of(), List.of(), null, null, null, o.vm() % 2 == 0 ? "a" : null,
            "web", null, null, java.util.Map.of())
        : VmSpec.of(1 + o.vm() % 3, 256L * (1 + o.vm()));
    Vm v = new Vm(name, String.format("%08X-0000-4000-8000-000000000000", o.vm()), spec, "t", o.state(), DesiredState.RUNNING,
        host, target, leases, "", T, T, 1);
    s.tx().put(v).commit();
  }

  /** Every index of {@code s} against a full scan of its VMs. */
  static void assertIndexesMatchAScan(ControllerState s) {
    java.util.Map<VmState, Integer> byState = new java.util.EnumMap<>(VmState.class);
    s.vms().forEach(v -> byState.merge(v.state(), 1, Integer::sum));
    assertThat(s.published().vmsByState()).as("VMs per state, as published").isEqualTo(byState);
    for (int h = 0; h < 4; h++) {
      String host = "h" + h;
      List<Vm> scan = s.vms().stream().filter(v -> host.equals(v.host()) && v.state().reservesHost()).toList();
      assertThat(s.vmsOn(host)).containsExactlyElementsOf(scan);
      Resources sum = Resources.ZERO;
      for (Vm v : s.vms()) {
        if ((host.equals(v.host()) && v.state().reservesHost()) || host.equals(v.migrationTarget())) {
          sum = sum.plus(v.spec().demand());
        }
      }
      assertThat(s.reservedOn(host, null)).isEqualTo(sum);
    }
    // The snapshot's kept index (reservations, VMs per host, pending, grouped) equals its derivation.
    org.corral.model.snapshot.Snapshot kept = s.snapshot(1, 1);
    java.util.Map<String, Vm> all = new java.util.HashMap<>();
    s.vms().forEach(v -> all.put(v.name(), v));
    org.corral.model.snapshot.Snapshot derived = new org.corral.model.snapshot.Snapshot(1, T, 1, java.util.Map.of(), all,
        java.util.Map.of(), java.util.Map.of(), java.util.Map.of());
    for (int h = 0; h < 4; h++) {
      String host = "h" + h;
      assertThat(kept.reserved(host)).as(host).isEqualTo(derived.reserved(host));
      assertThat(kept.reservation(host)).as(host).isEqualTo(derived.reservation(host));
      assertThat(kept.vmsOn(host)).as(host).containsExactlyElementsOf(derived.vmsOn(host));
    }
    assertThat(kept.pending()).containsExactlyElementsOf(derived.pending());
    assertThat(kept.grouped()).containsExactlyElementsOf(derived.grouped());
    Set<String> ips = new HashSet<>();
    Set<String> macs = new HashSet<>();
    for (Vm v : s.vms()) {
      assertThat(s.vmByUuid(v.uuid().toLowerCase())).contains(v);
      assertThat(s.vmByShortId(java.util.Objects.requireNonNull(v.shortId()))).contains(v);
      v.leases().forEach(l -> {
        ips.add(l.ip());
        macs.add(l.mac());
      });
    }
    assertThat(s.leasedIps("n")).isEqualTo(ips);
    assertThat(s.leasedMacs()).isEqualTo(macs);
  }
}
