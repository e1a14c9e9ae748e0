package org.corral.drivers.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.corral.model.InvalidInputException;
import org.corral.model.time.VirtualClock;
import org.junit.jupiter.api.Test;

class SimDataCenterTest {
  private final SimDataCenter dc = new SimDataCenter("lab", new VirtualClock(), 1, SimLatencies.INSTANT);

  @Test
  void hostsAreListedInOrderWithTheirUris() {
    dc.addHost("node1", SimLab.CAPACITY, SimLab.POWER, true);
    dc.addHost("node2", SimLab.CAPACITY, SimLab.POWER, false);

    assertThat(dc.hosts()).extracting(SimHost::name).containsExactly("node1", "node2");
    assertThat(dc.uriOf("node2")).isEqualTo("sim://lab/node2");
    assertThat(dc.host("node2").orElseThrow().uri()).isEqualTo("sim://lab/node2");
    assertThat(dc.host("node2").orElseThrow().power()).isEqualTo(SimPower.OFF);
    assertThat(dc.host("node1").orElseThrow().answers()).isTrue();
    assertThat(dc.host("nope")).isEmpty();
  }

  @Test
  void badHostsAreRefusedNamingTheFieldAndChangeNothing() {
    dc.addHost("node1", SimLab.CAPACITY, SimLab.POWER, true);

    assertField(() -> dc.addHost("node1", SimLab.CAPACITY, SimLab.POWER, true), "host.name");
    assertField(() -> dc.addHost("Bad Name", SimLab.CAPACITY, SimLab.POWER, true), "host.name");
    assertField(() -> dc.addHost("node2", null, SimLab.POWER, true), "host.capacity");
    assertField(() -> dc.addHost("node2", SimLab.CAPACITY, null, true), "host.powerModel");
    assertField(() -> new SimDataCenter("", new VirtualClock(), 1, SimLatencies.INSTANT), "dataCenter.name");
    assertField(() -> new SimDataCenter("lab", null, 1, SimLatencies.INSTANT), "dataCenter.clock");
    assertThat(dc.hosts()).hasSize(1);
  }

  @Test
  void theDefaultWorkloadIsTenPercentUntilChanged() {
    assertThat(dc.workload("any")).isEqualTo(WorkloadModel.constant(0.1));
    dc.setDefaultWorkload(WorkloadModel.constant(0.3));
    dc.setWorkload("web1", WorkloadModel.constant(0.9));
    assertThat(dc.workload("any")).isEqualTo(WorkloadModel.constant(0.3));
    assertThat(dc.workload("web1")).isEqualTo(WorkloadModel.constant(0.9));
  }

  private static void assertField(Runnable r, String field) {
    assertThatThrownBy(r::run).isInstanceOfSatisfying(InvalidInputException.class,
        e -> assertThat(e.field()).isEqualTo(field));
  }
}
