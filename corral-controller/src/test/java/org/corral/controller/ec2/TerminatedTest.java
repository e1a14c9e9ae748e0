package org.corral.controller.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.StreamSupport;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmSpec;
import org.corral.model.vm.VmState;
import org.junit.jupiter.api.Test;

/** Terminated instances: visible for an hour as terminated, then gone; merged with the live VMs in name order. */
class TerminatedTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static Vm vm(String name, int n) {
    return Vm.pending(name, "0b7f3c52-9a1e-4d8b-b3f0-6c2d1e4a5b7" + n, VmSpec.of(1, 512), "alice", List.of(), T0);
  }

  @Test
  void aTerminatedInstanceIsKeptAnHourWithStateDeletedThenForgotten() {
    Terminated t = new Terminated();
    t.add(vm("a", 1), T0);
    t.add(vm("b", 2), T0.plus(Duration.ofMinutes(30)));
    assertThat(t.recent(T0.plus(Duration.ofMinutes(59))).values()).extracting(Vm::name, Vm::state, Vm::owner)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("a", VmState.DELETED, "alice"),
            org.assertj.core.groups.Tuple.tuple("b", VmState.DELETED, "alice"));
    assertThat(Ec2Actions.state(t.recent(T0).get("a"))).isEqualTo(Ec2Actions.State.TERMINATED);
    assertThat(t.recent(T0.plus(Duration.ofMinutes(60))).keySet()).containsExactly("b");
    assertThat(t.recent(T0.plus(Duration.ofMinutes(90)))).isEmpty();
  }

  @Test
  void liveAndTerminatedMergeInNameOrderAndALiveVmHidesATerminatedOneOfItsName() {
    TreeMap<String, Vm> live = new TreeMap<>();
    for (String n : List.of("b", "d", "e")) {
      live.put(n, vm(n, 1));
    }
    Terminated t = new Terminated();
    for (String n : List.of("a", "c", "d", "f")) {
      t.add(vm(n, 2), T0);
    }
    List<Vm> merged = StreamSupport.stream(Ec2Actions.merged(live, t.recent(T0)).spliterator(), false).toList();
    assertThat(merged).extracting(Vm::name).containsExactly("a", "b", "c", "d", "e", "f");
    assertThat(merged.get(3).state()).as("the live d").isEqualTo(VmState.PENDING);
    assertThat(merged.get(2).state()).isEqualTo(VmState.DELETED);
    assertThat(StreamSupport.stream(Ec2Actions.merged(live, new TreeMap<>()).spliterator(), false).toList()).hasSize(3);
  }
}
