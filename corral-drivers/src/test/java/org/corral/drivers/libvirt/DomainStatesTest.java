package org.corral.drivers.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import org.corral.drivers.hypervisor.DomainEvent.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.libvirt.event.DomainEvent;
import org.libvirt.event.DomainEventType;
import org.libvirt.event.StoppedDetail;

/** libvirt's lifecycle events as Corral reports them. */
class DomainStatesTest {
  @ParameterizedTest(name = "STOPPED/{0} is {1}")
  @CsvSource({
      "SHUTDOWN, STOPPED",
      "DESTROYED, STOPPED",
      "SAVED, STOPPED",
      "MIGRATED, MIGRATED",
      "CRASHED, CRASHED",
      // What libvirt reports when the QEMU process dies under a running guest (kill -9 of QEMU,
      // seen in the lab): a crash, not a clean stop. It was reported as STOPPED.
      "FAILED, CRASHED",
  })
  void stoppedEventsByDetail(StoppedDetail detail, Kind expected) {
    assertThat(DomainStates.of(new DomainEvent(DomainEventType.STOPPED, detail.ordinal()))).isEqualTo(expected);
  }
}
