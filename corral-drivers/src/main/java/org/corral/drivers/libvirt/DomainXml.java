package org.corral.drivers.libvirt;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.corral.drivers.hypervisor.DomainSpec;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Element;

/**
 * Renders a {@link DomainSpec} as libvirt domain XML. Pure: the storage paths were resolved by the
 * caller (overlay volumes, seed ISO), so this class does no I/O and is tested by parsing its output.
 */
final class DomainXml {
  /** The virtio-serial channel name the QEMU guest agent listens on inside the guest. */
  static final String GUEST_AGENT_CHANNEL = "org.qemu.guest_agent.0";

  private DomainXml() {}

  /**
   * @param overlayPaths one path per {@code spec.disks()}, in the same order
   * @param seedIsoPath  the cloud-init seed ISO to attach as a cdrom, or null for none
   */
  static String render(DomainSpec spec, DomainType type, List<String> overlayPaths, @Nullable String seedIsoPath) {
    if (overlayPaths.size() != spec.disks().size()) {
      throw new IllegalArgumentException("need one overlay path per disk: " + overlayPaths.size() + " for "
          + spec.disks().size());
    }
    XmlWriter x = XmlWriter.create();
    Element domain = x.root("domain");
    domain.setAttribute("type", type.xml());
    x.text(domain, "name", spec.name());
    x.text(domain, "uuid", spec.uuid());
    x.text(domain, "memory", Long.toString(spec.memoryMib())).setAttribute("unit", "MiB");
    x.text(domain, "currentMemory", Long.toString(spec.memoryMib())).setAttribute("unit", "MiB");
    x.text(domain, "vcpu", Integer.toString(spec.vcpus())).setAttribute("placement", "static");
    os(x, domain, type, spec.boot());
    // ACPI is what makes a graceful shutdown possible.
    Element features = x.child(domain, "features");
    x.child(features, "acpi");
    x.child(features, "apic");
    if (type == DomainType.KVM) {
      // Only with KVM: software emulation (QEMU) keeps its default, migratable CPU model.
      // host-model expands to a named CPU model, so the domain stays migratable between alike hosts.
      x.empty(domain, "cpu", "mode", "host-model");
    }
    x.text(domain, "on_poweroff", "destroy");
    x.text(domain, "on_reboot", "restart");
    x.text(domain, "on_crash", "destroy");
    devices(x, x.child(domain, "devices"), spec, type, overlayPaths, seedIsoPath);
    return x.serialize();
  }

  private static void os(XmlWriter x, Element domain, DomainType type, DomainSpec.@Nullable Boot boot) {
    Element os = x.child(domain, "os");
    Element t = x.text(os, "type", "hvm");
    if (type.isQemu()) {
      t.setAttribute("arch", "x86_64");
    }
    if (boot == null) {
      x.empty(os, "boot", "dev", "hd");
      return;
    }
    x.text(os, "kernel", boot.kernel());
    if (boot.initrd() != null) {
      x.text(os, "initrd", boot.initrd());
    }
    if (boot.cmdline() != null) {
      x.text(os, "cmdline", boot.cmdline());
    }
  }

  private static void devices(XmlWriter x, Element devices, DomainSpec spec, DomainType type,
      List<String> overlayPaths, @Nullable String seedIsoPath) {
    Set<String> targets = new HashSet<>();
    for (int i = 0; i < spec.disks().size(); i++) {
      DomainSpec.Disk d = spec.disks().get(i);
      targets.add(d.target());
      Element disk = x.empty(devices, "disk", "type", "file", "device", "disk");
      x.empty(disk, "driver", "name", "qemu", "type", "qcow2");
      x.empty(disk, "source", "file", overlayPaths.get(i));
      x.empty(disk, "target", "dev", d.target(), "bus", busFor(d.target()));
    }
    for (DomainSpec.Lease l : spec.leases()) {
      Element lease = x.child(devices, "lease");
      x.text(lease, "lockspace", l.lockspace());
      x.text(lease, "key", l.key());
      x.empty(lease, "target", "path", l.path(), "offset", Long.toString(l.offset()));
    }
    if (seedIsoPath != null) {
      Element cdrom = x.empty(devices, "disk", "type", "file", "device", "cdrom");
      x.empty(cdrom, "driver", "name", "qemu", "type", "raw");
      x.empty(cdrom, "source", "file", seedIsoPath);
      String dev = freeTarget(type == DomainType.XEN ? "xvd" : "sd", targets);
      x.empty(cdrom, "target", "dev", dev, "bus", busFor(dev));
      x.child(cdrom, "readonly");
    }
    for (DomainSpec.Nic n : spec.nics()) {
      Element nic;
      if (n.network() != null) {
        nic = x.empty(devices, "interface", "type", "network");
        x.empty(nic, "source", "network", n.network());
      } else {
        nic = x.empty(devices, "interface", "type", "bridge");
        x.empty(nic, "source", "bridge", Objects.requireNonNull(n.bridge(), "DomainSpecCheck: a NIC has a network or a bridge"));
      }
      if (n.mac() != null) {
        x.empty(nic, "mac", "address", n.mac());
      }
      if (type != DomainType.XEN) {
        x.empty(nic, "model", "type", "virtio");
      }
    }
    Element serial = x.empty(devices, "serial", "type", "pty");
    if (type.isQemu()) {
      // The console is also written to a file (by virtlogd), so what the guest printed can be read
      // after the fact; append keeps what it printed before a restart or an incoming migration.
      x.empty(serial, "log", "file", consoleLog(spec.name()), "append", "on");
    }
    x.empty(serial, "target", "port", "0");
    Element console = x.empty(devices, "console", "type", "pty");
    x.empty(console, "target", "type", "serial", "port", "0");
    if (type.hasGuestAgentChannel()) {
      // libvirt picks the host-side socket path itself when source has no path.
      Element channel = x.empty(devices, "channel", "type", "unix");
      x.empty(channel, "source", "mode", "bind");
      x.empty(channel, "target", "type", "virtio", "name", GUEST_AGENT_CHANNEL);
    }
  }

  /** Where a QEMU host keeps the console log of domain {@code name} (libvirt's own log directory). */
  static String consoleLog(String name) {
    return "/var/log/libvirt/qemu/" + name + "-console.log";
  }

  /** The bus a target name implies: vdX virtio, sdX sata, hdX ide, xvdX xen. */
  static String busFor(String target) {
    if (target.startsWith("vd")) {
      return "virtio";
    }
    if (target.startsWith("xvd")) {
      return "xen";
    }
    if (target.startsWith("hd")) {
      return "ide";
    }
    return "sata";
  }

  private static String freeTarget(String prefix, Set<String> used) {
    for (char c = 'a'; c <= 'z'; c++) {
      String t = prefix + c;
      if (!used.contains(t)) {
        return t;
      }
    }
    throw new IllegalArgumentException("no free " + prefix + "X target left for the seed ISO");
  }
}
