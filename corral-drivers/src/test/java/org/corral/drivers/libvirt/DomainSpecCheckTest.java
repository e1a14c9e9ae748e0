package org.corral.drivers.libvirt;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.corral.drivers.hypervisor.DomainSpec;
import org.corral.drivers.hypervisor.DomainSpec.Disk;
import org.corral.drivers.hypervisor.DomainSpec.Nic;
import org.corral.model.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DomainSpecCheckTest {
  private static final String UUID = "0b7f3c52-9a1e-4d8b-b3f0-6c2d1e4a5b70";
  private static final Disk DISK = new Disk("images", "debian-12.qcow2", "qcow2", 20, "vda");
  private static final Nic NIC = new Nic("br0", null, "52:54:00:12:34:56");

  private static DomainSpec spec(String name, String uuid, int vcpus, long mem, List<Disk> disks, List<Nic> nics,
      String userData) {
    return new DomainSpec(name, uuid, vcpus, mem, disks, nics, userData);
  }

  static Stream<Arguments> bad() {
    return Stream.of(
        Arguments.of(spec("", UUID, 1, 512, List.of(DISK), List.of(NIC), null), "spec.name"),
        Arguments.of(spec("a/b", UUID, 1, 512, List.of(DISK), List.of(NIC), null), "spec.name"),
        Arguments.of(spec("a\nb", UUID, 1, 512, List.of(DISK), List.of(NIC), null), "spec.name"),
        Arguments.of(spec("..", UUID, 1, 512, List.of(DISK), List.of(NIC), null), "spec.name"),
        Arguments.of(spec("web", "not-a-uuid", 1, 512, List.of(DISK), List.of(NIC), null), "spec.uuid"),
        Arguments.of(spec("web", UUID, 0, 512, List.of(DISK), List.of(NIC), null), "spec.vcpus"),
        Arguments.of(spec("web", UUID, 1, 0, List.of(DISK), List.of(NIC), null), "spec.memoryMib"),
        Arguments.of(spec("web", UUID, 1, 512, List.of(new Disk("", "b", "qcow2", 1, "vda")), List.of(), null),
            "spec.disks[0].pool"),
        Arguments.of(spec("web", UUID, 1, 512, List.of(new Disk("p", "../etc", "qcow2", 1, "vda")), List.of(), null),
            "spec.disks[0].baseVolume"),
        Arguments.of(spec("web", UUID, 1, 512, List.of(DISK, DISK), List.of(), null), "spec.disks[1].target"),
        Arguments.of(spec("web", UUID, 1, 512, List.of(new Disk("p", "b", "qcow2", 1, "vda;")), List.of(), null),
            "spec.disks[0].target"),
        Arguments.of(spec("web", UUID, 1, 512, List.of(new Disk("p", "b", "vmdk", 1, "vda")), List.of(), null),
            "spec.disks[0].format"),
        Arguments.of(spec("web", UUID, 1, 512, List.of(new Disk("p", "b", "raw", 0, "vda")), List.of(), null),
            "spec.disks[0].sizeGib"),
        Arguments.of(spec("web", UUID, 1, 512, List.of(DISK), List.of(new Nic(null, null, null)), null), "spec.nics[0]"),
        Arguments.of(spec("web", UUID, 1, 512, List.of(DISK), List.of(new Nic("br0", null, "52:54:00")), null),
            "spec.nics[0].mac"),
        Arguments.of(spec("web", UUID, 1, 512, List.of(), List.of(), "#cloud-config"), "spec.userData"));
  }

  @ParameterizedTest
  @MethodSource("bad")
  void badSpecsNameTheField(DomainSpec s, String field) {
    assertThatThrownBy(() -> DomainSpecCheck.check(s)).isInstanceOfSatisfying(InvalidInputException.class,
        e -> org.assertj.core.api.Assertions.assertThat(e.field()).isEqualTo(field));
  }

  @Test
  void aSensibleSpecPasses() {
    assertThatCode(() -> DomainSpecCheck.check(spec("web-1.prod_a", UUID, 2, 1024, List.of(DISK),
        List.of(NIC, new Nic(null, "default", null)), "#cloud-config"))).doesNotThrowAnyException();
  }
}
