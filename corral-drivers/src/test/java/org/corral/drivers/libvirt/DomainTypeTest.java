package org.corral.drivers.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.corral.drivers.DriverException;
import org.corral.drivers.DriverException.Kind;
import org.junit.jupiter.api.Test;

/**
 * The domain type comes from the host's capabilities. Every qemu* URI used to give
 * {@code <domain type='kvm'>}, which a host without /dev/kvm refuses at define ("could not get
 * preferred machine for /usr/bin/qemu-system-x86_64 type=kvm", met on the lab's nodes).
 */
class DomainTypeTest {
  private static final String URI = "qemu+tcp://10.213.77.11/system";

  /** What libvirt 9.0 reports, cut down: the host's arch, then one guest per arch with its domain types. */
  private static String capabilities(String hostArch, String guestArch, String... domains) {
    StringBuilder d = new StringBuilder();
    for (String t : domains) {
      d.append("<domain type='").append(t).append("'/>");
    }
    return "<capabilities><host><uuid>6c616200-0000-4000-8000-000000000001</uuid><cpu><arch>" + hostArch + "</arch></cpu></host>"
        + "<guest><os_type>hvm</os_type><arch name='i686'><wordsize>32</wordsize><domain type='qemu'/><domain type='kvm'/></arch></guest>"
        + "<guest><os_type>hvm</os_type><arch name='" + guestArch + "'><wordsize>64</wordsize>"
        + "<emulator>/usr/bin/qemu-system-x86_64</emulator>" + d + "</arch></guest></capabilities>";
  }

  @Test
  void kvmWhereTheHostOffersIt() {
    assertThat(DomainType.fromCapabilities(URI, capabilities("x86_64", "x86_64", "qemu", "kvm"))).isEqualTo(DomainType.KVM);
  }

  @Test
  void qemuWhereTheHostOffersOnlySoftwareEmulation() {
    assertThat(DomainType.fromCapabilities(URI, capabilities("x86_64", "x86_64", "qemu"))).isEqualTo(DomainType.QEMU);
  }

  @Test
  void onlyGuestsOfTheHostsOwnArchitectureCount() {
    // kvm for i686 guests on an x86_64 host without kvm for x86_64 does not make the host a kvm host.
    assertThat(DomainType.fromCapabilities(URI, capabilities("x86_64", "x86_64", "qemu"))).isEqualTo(DomainType.QEMU);
  }

  @Test
  void aHostWithNeitherIsRejectedWithTheFix() {
    assertThatThrownBy(() -> DomainType.fromCapabilities(URI, capabilities("aarch64", "x86_64", "qemu")))
        .isInstanceOf(DriverException.class)
        .satisfies(e -> assertThat(((DriverException) e).kind()).isEqualTo(Kind.REJECTED))
        .hasMessageContaining("no kvm or qemu domain").hasMessageContaining("aarch64").hasMessageContaining("qemu-system");
    assertThatThrownBy(() -> DomainType.fromCapabilities(URI, "not xml")).isInstanceOf(DriverException.class)
        .hasMessageContaining("capabilities");
  }

  @Test
  void uriFamilies() {
    assertThat(DomainType.forUri("qemu+ssh://root@n1/system").isQemu()).isTrue();
    assertThat(DomainType.forUri("xen:///").isQemu()).isFalse();
    assertThat(DomainType.forUri("test:///default")).isEqualTo(DomainType.TEST);
  }
}
