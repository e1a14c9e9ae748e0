package org.corral.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.corral.model.host.Host;
import org.corral.model.host.HostCapacity;
import org.corral.model.host.HostState;
import org.corral.model.host.PowerModel;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmSpec;
import org.corral.model.vm.VmState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every transition goes through one table per kind; everything not in it is refused. */
class StateMachineTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static Host host(HostState s) {
    return new Host("h1", "sim://lab/h1", new HostCapacity(8, 2600, 32768), null, null, PowerModel.linear(100, 200), s, "", T0, 1);
  }

  private static Vm vm(VmState s) {
    Vm v = Vm.pending("v1", "u", VmSpec.of(1, 512), "t", null, T0);
    return new Vm(v.name(), v.uuid(), v.spec(), v.owner(), s, v.desired(), "h1", null, v.leases(), "", T0, T0, 1);
  }

  @Property
  void hostTransitionsSucceedExactlyWhenTheTableAllowsThem(@ForAll HostState from, @ForAll HostState to) {
    Host h = host(from);
    if (HostState.MACHINE.allows(from, to)) {
      Host after = h.withState(to, "why", T0.plusSeconds(1));
      assertThat(after.state()).isEqualTo(to);
      assertThat(after.version()).isEqualTo(h.version() + 1);
    } else {
      assertThatThrownBy(() -> h.withState(to, "why", T0)).isInstanceOf(IllegalTransitionException.class)
          .hasMessageContaining(from.name()).hasMessageContaining(to.name());
    }
  }

  @Property
  void vmTransitionsSucceedExactlyWhenTheTableAllowsThem(@ForAll VmState from, @ForAll VmState to) {
    Vm v = vm(from);
    if (VmState.MACHINE.allows(from, to)) {
      assertThat(v.withState(to, "why", T0.plusSeconds(1)).state()).isEqualTo(to);
    } else {
      assertThatThrownBy(() -> v.withState(to, "why", T0)).isInstanceOf(IllegalTransitionException.class);
    }
  }

  @Property
  void randomWalksOnlyEverVisitAllowedEdges(@ForAll("walks") List<VmState> walk) {
    Vm v = vm(VmState.PENDING);
    for (VmState next : walk) {
      VmState from = v.state();
      try {
        v = v.withState(next, "walk", T0);
        assertThat(VmState.MACHINE.allows(from, next)).isTrue();
      } catch (IllegalTransitionException e) {
        assertThat(VmState.MACHINE.allows(from, next)).isFalse();
        assertThat(v.state()).isEqualTo(from);
      }
    }
  }

  @Provide
  Arbitrary<List<VmState>> walks() {
    return Arbitraries.of(VmState.class).list().ofMaxSize(40);
  }

  @ParameterizedTest(name = "VM {0} -> {1} is refused")
  @CsvSource({"STOPPED,MIGRATING", "PENDING,RUNNING", "DELETED,PENDING", "DELETED,RUNNING", "HOLD,PROVISIONING",
      "FAILED,RUNNING", "PENDING,MIGRATING", "SUSPENDED,MIGRATING"})
  void vmIllegalTransitions(VmState from, VmState to) {
    assertThatThrownBy(() -> vm(from).withState(to, "x", T0)).isInstanceOf(IllegalTransitionException.class);
  }

  @ParameterizedTest(name = "host {0} -> {1} is refused")
  @CsvSource({"OFF,UP", "UP,FENCED", "UP,OFF", "FENCING,UP", "POWERING_ON,MAINTENANCE", "DOWN,FENCED"})
  void hostIllegalTransitions(HostState from, HostState to) {
    assertThatThrownBy(() -> host(from).withState(to, "x", T0)).isInstanceOf(IllegalTransitionException.class);
  }

  @Test
  void deletedIsFinalAndReachableFromEverywhereElse() {
    for (VmState s : VmState.values()) {
      assertThat(VmState.MACHINE.allows(s, VmState.DELETED)).isTrue();
    }
    assertThat(VmState.MACHINE.next(VmState.DELETED)).isEmpty();
  }

  @Test
  void everyStateIsReachableFromPending() {
    Set<VmState> seen = EnumSet.of(VmState.PENDING);
    boolean grew = true;
    while (grew) {
      grew = false;
      for (VmState s : EnumSet.copyOf(seen)) {
        grew |= seen.addAll(VmState.MACHINE.next(s));
      }
    }
    assertThat(seen).containsExactlyInAnyOrder(VmState.values());
  }

  @Test
  void onlyUpHostsTakeVmsAndReservingStatesAreTheOnesWithAHost() {
    assertThat(EnumSet.allOf(HostState.class).stream().filter(HostState::acceptsVms)).containsExactly(HostState.UP);
    assertThat(VmState.PENDING.reservesHost()).isFalse();
    assertThat(VmState.STOPPED.reservesHost()).isTrue();
    assertThat(VmState.MIGRATING.reservesHost()).isTrue();
  }
}
