package org.corral.drivers.libvirt;

import org.corral.drivers.Drivers;

/** The {@code <domain type=...>} a host's URI calls for, and what that hypervisor supports. */
enum DomainType {
  KVM("kvm"), XEN("xen"), TEST("test");

  private final String xml;

  DomainType(String xml) {
    this.xml = xml;
  }

  String xml() {
    return xml;
  }

  /** QEMU/KVM and the test driver accept virtio channels; Xen has no QEMU guest agent channel. */
  boolean hasGuestAgentChannel() {
    return this != XEN;
  }

  /** The type for a libvirt URI: {@code qemu*} gives kvm, {@code xen*} xen, {@code test} test. */
  static DomainType forUri(String uri) {
    String scheme = Drivers.scheme(uri);
    if (scheme == null) {
      throw new IllegalArgumentException("not a URI: " + uri);
    }
    String base = scheme.contains("+") ? scheme.substring(0, scheme.indexOf('+')) : scheme;
    return switch (base) {
      case "qemu" -> KVM;
      case "xen" -> XEN;
      case "test" -> TEST;
      default -> throw new IllegalArgumentException("no libvirt domain type for scheme " + scheme);
    };
  }
}
