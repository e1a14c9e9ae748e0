package org.corral.drivers.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.corral.drivers.libvirt.LibvirtStorageTest.parse;
import static org.corral.drivers.libvirt.LibvirtStorageTest.text;

import java.util.List;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.corral.drivers.hypervisor.DomainSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** DomainXml's output, parsed back. */
class DomainXmlTest {
  private static final String UUID = "0b7f3c52-9a1e-4d8b-b3f0-6c2d1e4a5b70";

  private static DomainSpec spec(String name) {
    return new DomainSpec(name, UUID, 4, 2048,
        List.of(new DomainSpec.Disk("images", "debian-12.qcow2", "qcow2", 20, "vda"),
            new DomainSpec.Disk("images", "data.raw", "raw", 100, "vdb")),
        List.of(new DomainSpec.Nic("br0", null, "52:54:00:aa:bb:01"), new DomainSpec.Nic(null, "corral-net", "52:54:00:aa:bb:02")),
        "#cloud-config\n");
  }

  private static Document render(DomainSpec s, DomainType t, String seed) throws Exception {
    return parse(DomainXml.render(s, t, List.of("/p/x-vda.qcow2", "/p/x-vdb.qcow2"), seed));
  }

  private static int count(Document d, String xpath) throws Exception {
    return ((NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, d, XPathConstants.NODESET)).getLength();
  }

  @ParameterizedTest
  @CsvSource({"qemu+ssh://root@n1/system, kvm", "qemu:///system, kvm", "xen+ssh://root@n1/, xen", "xen:///, xen",
      "test:///default, test"})
  void domainTypeFollowsTheUriScheme(String uri, String type) throws Exception {
    assertThat(text(render(spec("web-1"), DomainType.forUri(uri), null), "/domain/@type")).isEqualTo(type);
  }

  @Test
  void sizesNamesAndIdentity() throws Exception {
    Document d = render(spec("web-1"), DomainType.KVM, null);
    assertThat(text(d, "/domain/name")).isEqualTo("web-1");
    assertThat(text(d, "/domain/uuid")).isEqualTo(UUID);
    assertThat(text(d, "/domain/vcpu")).isEqualTo("4");
    assertThat(text(d, "/domain/memory")).isEqualTo("2048");
    assertThat(text(d, "/domain/memory/@unit")).isEqualTo("MiB");
    assertThat(count(d, "/domain/features/acpi")).as("ACPI for graceful shutdown").isEqualTo(1);
  }

  @Test
  void disksAreQcow2OverlaysOnVirtio() throws Exception {
    Document d = render(spec("web-1"), DomainType.KVM, null);
    assertThat(count(d, "/domain/devices/disk[@device='disk']")).isEqualTo(2);
    assertThat(text(d, "/domain/devices/disk[1]/driver/@type")).isEqualTo("qcow2");
    assertThat(text(d, "/domain/devices/disk[1]/source/@file")).isEqualTo("/p/x-vda.qcow2");
    assertThat(text(d, "/domain/devices/disk[2]/target/@dev")).isEqualTo("vdb");
    assertThat(text(d, "/domain/devices/disk[2]/target/@bus")).isEqualTo("virtio");
    assertThat(count(d, "/domain/devices/disk[@device='cdrom']")).isZero();
  }

  @Test
  void seedIsoIsAReadOnlyCdromOnAFreeTarget() throws Exception {
    Document d = render(spec("web-1"), DomainType.KVM, "/p/web-1-seed.iso");
    assertThat(text(d, "/domain/devices/disk[@device='cdrom']/source/@file")).isEqualTo("/p/web-1-seed.iso");
    assertThat(text(d, "/domain/devices/disk[@device='cdrom']/target/@dev")).isEqualTo("sda");
    assertThat(text(d, "/domain/devices/disk[@device='cdrom']/driver/@type")).isEqualTo("raw");
    assertThat(count(d, "/domain/devices/disk[@device='cdrom']/readonly")).isEqualTo(1);
  }

  @Test
  void nicsUseBridgeOrNetworkWithTheGivenMacAndVirtio() throws Exception {
    Document d = render(spec("web-1"), DomainType.KVM, null);
    assertThat(text(d, "/domain/devices/interface[1]/@type")).isEqualTo("bridge");
    assertThat(text(d, "/domain/devices/interface[1]/source/@bridge")).isEqualTo("br0");
    assertThat(text(d, "/domain/devices/interface[1]/mac/@address")).isEqualTo("52:54:00:aa:bb:01");
    assertThat(text(d, "/domain/devices/interface[1]/model/@type")).isEqualTo("virtio");
    assertThat(text(d, "/domain/devices/interface[2]/@type")).isEqualTo("network");
    assertThat(text(d, "/domain/devices/interface[2]/source/@network")).isEqualTo("corral-net");
  }

  @Test
  void consoleAndGuestAgentChannel() throws Exception {
    Document d = render(spec("web-1"), DomainType.KVM, null);
    assertThat(text(d, "/domain/devices/serial/@type")).isEqualTo("pty");
    assertThat(text(d, "/domain/devices/console/target/@type")).isEqualTo("serial");
    assertThat(text(d, "/domain/devices/channel/@type")).isEqualTo("unix");
    assertThat(text(d, "/domain/devices/channel/target/@type")).isEqualTo("virtio");
    assertThat(text(d, "/domain/devices/channel/target/@name")).isEqualTo("org.qemu.guest_agent.0");
    assertThat(count(render(spec("web-1"), DomainType.XEN, null), "/domain/devices/channel"))
        .as("Xen has no QEMU guest agent channel").isZero();
  }

  @Test
  void hostileValuesAreEscapedAndComeBackVerbatim() throws Exception {
    String hostile = "web\"><devices><disk type='block'/></devices><x a='&amp;";
    DomainSpec s = new DomainSpec(hostile, UUID, 1, 512,
        List.of(new DomainSpec.Disk("images", "b", "qcow2", 1, "vda")),
        List.of(new DomainSpec.Nic("br0' onload='x", null, "52:54:00:00:00:01")), null);
    Document d = parse(DomainXml.render(s, DomainType.KVM, List.of("/p/<&>'\".qcow2"), null));
    assertThat(text(d, "/domain/name")).isEqualTo(hostile);
    assertThat(text(d, "/domain/devices/disk/source/@file")).isEqualTo("/p/<&>'\".qcow2");
    assertThat(text(d, "/domain/devices/interface/source/@bridge")).isEqualTo("br0' onload='x");
    assertThat(count(d, "/domain/devices/disk")).as("no injected disk").isEqualTo(1);
    assertThat(count(d, "/domain/devices")).as("no injected devices element").isEqualTo(1);
  }

  @Test
  void overlayVolumeXmlPointsAtTheBaseAndEscapes() throws Exception {
    Document v = parse(VolumeXml.overlay("a&b-vda.qcow2", 20, "/imgs/<base>.qcow2", "raw"));
    assertThat(text(v, "/volume/name")).isEqualTo("a&b-vda.qcow2");
    assertThat(text(v, "/volume/capacity")).isEqualTo("20");
    assertThat(text(v, "/volume/capacity/@unit")).isEqualTo("GiB");
    assertThat(text(v, "/volume/target/format/@type")).isEqualTo("qcow2");
    assertThat(text(v, "/volume/backingStore/path")).isEqualTo("/imgs/<base>.qcow2");
    assertThat(text(v, "/volume/backingStore/format/@type")).isEqualTo("raw");
  }

  /**
   * Corral's XML had no direct kernel boot: a guest that is a kernel and an initramfs (the lab's,
   * a netboot image) could not boot through it. The first disk's image may now name them.
   */
  @Test
  void directKernelBootReplacesBootFromDisk() throws Exception {
    DomainSpec s = spec("web-1");
    DomainSpec kernel = new DomainSpec(s.name(), s.uuid(), s.vcpus(), s.memoryMib(), s.disks(), s.nics(), s.userData(),
        new DomainSpec.Boot("/boot/vmlinuz", "/boot/initrd.gz", "console=ttyS0 panic=-1"));

    Document d = render(kernel, DomainType.QEMU, null);

    assertThat(text(d, "/domain/os/kernel")).isEqualTo("/boot/vmlinuz");
    assertThat(text(d, "/domain/os/initrd")).isEqualTo("/boot/initrd.gz");
    assertThat(text(d, "/domain/os/cmdline")).isEqualTo("console=ttyS0 panic=-1");
    assertThat(count(d, "/domain/os/boot")).as("no boot device with a kernel").isZero();
    assertThat(count(render(s, DomainType.QEMU, null), "/domain/os/kernel")).as("without one").isZero();
    assertThat(text(render(s, DomainType.QEMU, null), "/domain/os/boot/@dev")).isEqualTo("hd");
  }

  /** A host without KVM runs <domain type='qemu'> (TCG) with QEMU's default, migratable CPU model. */
  @Test
  void softwareEmulationKeepsTheDefaultCpuModel() throws Exception {
    Document qemu = render(spec("web-1"), DomainType.QEMU, null);
    assertThat(text(qemu, "/domain/@type")).isEqualTo("qemu");
    assertThat(count(qemu, "/domain/cpu")).isZero();
    assertThat(text(qemu, "/domain/os/type/@arch")).isEqualTo("x86_64");
    assertThat(text(render(spec("web-1"), DomainType.KVM, null), "/domain/cpu/@mode")).isEqualTo("host-model");
  }

  @Test
  void theSerialConsoleIsLoggedToAFileOnQemuHosts() throws Exception {
    assertThat(text(render(spec("web-1"), DomainType.QEMU, null), "/domain/devices/serial/log/@file"))
        .isEqualTo("/var/log/libvirt/qemu/web-1-console.log");
    assertThat(text(render(spec("web-1"), DomainType.KVM, null), "/domain/devices/serial/log/@append")).isEqualTo("on");
    assertThat(count(render(spec("web-1"), DomainType.XEN, null), "/domain/devices/serial/log")).isZero();
  }
}
