package org.corral.drivers.libvirt;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.corral.drivers.DriverException;
import org.corral.drivers.DriverException.Kind;
import org.corral.drivers.Drivers;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The {@code <domain type=...>} a host runs guests with, and what that hypervisor supports. */
enum DomainType {
  /** QEMU with hardware acceleration (/dev/kvm). */
  KVM("kvm"),
  /** QEMU in software emulation (TCG): a host whose capabilities offer no kvm domain. */
  QEMU("qemu"),
  XEN("xen"),
  TEST("test");

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

  /** True for QEMU guests, accelerated or not. */
  boolean isQemu() {
    return this == KVM || this == QEMU;
  }

  /**
   * The family a libvirt URI's scheme names: {@code qemu*} gives KVM (until the host's capabilities
   * say otherwise, see {@link #fromCapabilities}), {@code xen*} XEN, {@code test} TEST.
   */
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

  /**
   * The type a QEMU host offers for hvm guests of its own architecture, from its capabilities XML
   * ({@code virConnectGetCapabilities}): KVM when a {@code <domain type='kvm'/>} is listed, else QEMU
   * (software emulation, e.g. no /dev/kvm). Fails REJECTED when the host offers neither, naming the fix.
   */
  static DomainType fromCapabilities(String uri, String capabilities) {
    Element root = parse(uri, capabilities);
    String hostArch = firstText(root, "host", "cpu", "arch");
    boolean qemu = false;
    NodeList guests = root.getElementsByTagName("guest");
    for (int i = 0; i < guests.getLength(); i++) {
      Element guest = (Element) guests.item(i);
      Element arch = first(guest, "arch");
      if (!"hvm".equals(firstText(guest, "os_type")) || arch == null
          || hostArch != null && !hostArch.equals(arch.getAttribute("name"))) {
        continue;
      }
      NodeList domains = arch.getElementsByTagName("domain");
      for (int j = 0; j < domains.getLength(); j++) {
        String type = ((Element) domains.item(j)).getAttribute("type");
        if ("kvm".equals(type)) {
          return KVM;
        }
        qemu |= "qemu".equals(type);
      }
    }
    if (qemu) {
      return QEMU;
    }
    throw new DriverException(Kind.REJECTED, "connect to " + LibvirtErrors.safeUri(uri) + ": the host offers no kvm or qemu"
        + " domain for hvm guests" + (hostArch == null ? "" : " on " + hostArch)
        + " (virsh capabilities); install qemu-system-x86 (and the kvm module) on it");
  }

  private static Element parse(String uri, String xml) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      Document d = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
      return d.getDocumentElement();
    } catch (Exception e) {
      throw new DriverException(Kind.REJECTED, "connect to " + LibvirtErrors.safeUri(uri)
          + ": cannot read the host's capabilities XML: " + e.getMessage(), e);
    }
  }

  /** The first descendant element at {@code path} (each step the first child element of that name). */
  private static @Nullable Element first(Element from, String... path) {
    Element at = from;
    for (String name : path) {
      Element next = null;
      for (org.w3c.dom.Node n = at.getFirstChild(); n != null; n = n.getNextSibling()) {
        if (n instanceof Element e && e.getTagName().equals(name)) {
          next = e;
          break;
        }
      }
      if (next == null) {
        return null;
      }
      at = next;
    }
    return at;
  }

  private static @Nullable String firstText(Element from, String... path) {
    Element e = first(from, path);
    return e == null ? null : e.getTextContent().trim();
  }
}
