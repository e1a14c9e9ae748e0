package org.corral.drivers.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.corral.drivers.libvirt.TestHosts.await;

import java.io.StringReader;
import java.util.Arrays;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.corral.drivers.DriverException;
import org.corral.drivers.hypervisor.DomainSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.libvirt.StoragePool;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

/**
 * Overlays and seed ISOs in real test-driver storage pools. A second, plain libvirt connection to
 * the same node file would see fresh state, so the test inspects the pool through the
 * connection's own handle.
 */
class LibvirtStorageTest {
  private static final String UUID = "3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b";

  private LibvirtDriver driver;
  private LibvirtConnection a;

  @BeforeEach
  void open() {
    TestHosts.requireLibvirt();
    driver = TestHosts.driver();
    a = TestHosts.connect(driver, "host-a.xml");
  }

  @AfterEach
  void close() {
    if (a != null) {
      a.close();
    }
    if (driver != null) {
      driver.close();
    }
  }

  private StoragePool images() throws Exception {
    return a.nativeForTests().storagePoolLookupByName("images");
  }

  @Test
  void defineCreatesAnOverlayBackedByTheBaseImageAndAttachesIt() throws Exception {
    await(a.define(TestHosts.spec("web-1", UUID, null)));

    assertThat(images().listVolumes()).contains("web-1-vda.qcow2", "debian-12.qcow2");
    Document vol = parse(images().storageVolLookupByName("web-1-vda.qcow2").getXMLDesc(0));
    assertThat(text(vol, "/volume/target/format/@type")).isEqualTo("qcow2");
    assertThat(text(vol, "/volume/backingStore/path")).isEqualTo("/var/lib/corral/images/debian-12.qcow2");
    assertThat(text(vol, "/volume/backingStore/format/@type")).isEqualTo("qcow2");
    assertThat(Long.parseLong(text(vol, "/volume/capacity"))).isEqualTo(20L << 30);

    Document dom = parse(a.nativeForTests().domainLookupByName("web-1").getXMLDesc(0));
    assertThat(text(dom, "/domain/devices/disk[@device='disk']/source/@file"))
        .isEqualTo("/var/lib/corral/images/web-1-vda.qcow2");
  }

  @Test
  void storageLeasesGoIntoTheDomainXmlAndComeBackFromLibvirt() throws Exception {
    DomainSpec plain = TestHosts.spec("web-9", UUID, null);
    DomainSpec leased = new DomainSpec(plain.name(), plain.uuid(), plain.vcpus(), plain.memoryMib(), plain.disks(), plain.nics(),
        plain.userData(), plain.boot(), List.of(new DomainSpec.Lease("corral", UUID + "-vda", "/var/lib/libvirt/sanlock/" + UUID + "-vda", 0)));

    await(a.define(leased));

    Document dom = parse(a.nativeForTests().domainLookupByName("web-9").getXMLDesc(0));
    assertThat(text(dom, "/domain/devices/lease/lockspace")).isEqualTo("corral");
    assertThat(text(dom, "/domain/devices/lease/key")).isEqualTo(UUID + "-vda");
    assertThat(text(dom, "/domain/devices/lease/target/@path")).isEqualTo("/var/lib/libvirt/sanlock/" + UUID + "-vda");
    assertThat(text(dom, "/domain/devices/lease/target/@offset")).as("libvirt leaves out an offset of 0").isIn("", "0");
  }

  @Test
  void userDataAddsASeedIsoVolumeAttachedAsCdrom() throws Exception {
    await(a.define(TestHosts.spec("web-2", UUID, "#cloud-config\nhostname: web-2\n")));
    assertThat(images().listVolumes()).contains("web-2-seed.iso");
    Document dom = parse(a.nativeForTests().domainLookupByName("web-2").getXMLDesc(0));
    assertThat(text(dom, "/domain/devices/disk[@device='cdrom']/source/@file"))
        .isEqualTo("/var/lib/corral/images/web-2-seed.iso");
  }

  @Test
  void undefineWithStorageRemovesOverlaysAndSeedButNeverTheBaseImage() throws Exception {
    await(a.define(TestHosts.spec("web-3", UUID, "#cloud-config\n")));
    await(a.undefine("web-3", true));
    assertThat(images().listVolumes()).containsExactlyInAnyOrder("debian-12.qcow2", "alpine.raw");
    // Idempotent: nothing left to remove is not an error.
    await(a.undefine("web-3", true));
  }

  @Test
  void undefineWithoutStorageKeepsTheOverlays() throws Exception {
    await(a.define(TestHosts.spec("web-4", UUID, null)));
    await(a.undefine("web-4", false));
    assertThat(images().listVolumes()).contains("web-4-vda.qcow2");
  }

  @Test
  void redefineReusesAnExistingOverlay() throws Exception {
    await(a.define(TestHosts.spec("web-5", UUID, null)));
    await(a.undefine("web-5", false));
    await(a.define(TestHosts.spec("web-5", UUID, null)));
    assertThat(Arrays.stream(images().listVolumes()).filter(v -> v.startsWith("web-5"))).containsExactly("web-5-vda.qcow2");
  }

  @Test
  void missingPoolIsRejectedNamingPoolAndFixAndCreatesNothing() throws Exception {
    var spec = new DomainSpec("web-6", UUID, 1, 512,
        List.of(new DomainSpec.Disk("images", "debian-12.qcow2", "qcow2", 10, "vda"),
            new DomainSpec.Disk("fast-ssd", "debian-12.qcow2", "qcow2", 10, "vdb")),
        List.of(), null);
    assertThatThrownBy(() -> await(a.define(spec))).isInstanceOfSatisfying(DriverException.class, e -> {
      assertThat(e.kind()).isEqualTo(DriverException.Kind.REJECTED);
      assertThat(e.getMessage()).contains("'fast-ssd'").contains("spec.disks[1].pool").contains("virsh pool-define-as");
    });
    assertThat(images().listVolumes()).as("the first disk's overlay was rolled back").doesNotContain("web-6-vda.qcow2");
    assertThat(await(a.domain("web-6"))).isEmpty();
  }

  @Test
  void missingBaseVolumeIsRejectedNamingVolumeAndPool() {
    var spec = new DomainSpec("web-7", UUID, 1, 512,
        List.of(new DomainSpec.Disk("images", "ubuntu-24.04.qcow2", "qcow2", 10, "vda")), List.of(), null);
    assertThatThrownBy(() -> await(a.define(spec))).isInstanceOfSatisfying(DriverException.class, e -> {
      assertThat(e.kind()).isEqualTo(DriverException.Kind.REJECTED);
      assertThat(e.getMessage()).contains("'ubuntu-24.04.qcow2'").contains("'images'").contains("vol-upload");
    });
  }

  @Test
  void rawBaseImageGetsARawBackingFormat() throws Exception {
    var spec = new DomainSpec("web-8", UUID, 1, 512,
        List.of(new DomainSpec.Disk("images", "alpine.raw", "raw", 5, "vda")), List.of(), null);
    await(a.define(spec));
    Document vol = parse(images().storageVolLookupByName("web-8-vda.qcow2").getXMLDesc(0));
    assertThat(text(vol, "/volume/backingStore/format/@type")).isEqualTo("raw");
  }

  static Document parse(String xml) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
  }

  static String text(Document d, String xpath) throws Exception {
    return javax.xml.xpath.XPathFactory.newInstance().newXPath().evaluate(xpath, d);
  }

}
