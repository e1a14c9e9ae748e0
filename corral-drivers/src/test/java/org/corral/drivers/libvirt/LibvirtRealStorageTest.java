package org.corral.drivers.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.corral.drivers.hypervisor.DomainSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.libvirt.StoragePool;
import org.libvirt.StorageVol;

/**
 * Overlays and the seed ISO on libvirt's real storage driver (a directory pool in a private
 * session libvirtd, files made by qemu-img), where the test driver only keeps XML: checks the
 * qcow2 backing chain on disk and the bytes uploaded through the libvirt stream.
 */
class LibvirtRealStorageTest {
  private static final String UUID = "5b1d6a3e-2c4f-4e8a-9b7d-1f2e3a4b5c6d";

  private LibvirtDaemon daemon;
  private LibvirtConnection c;
  private StoragePool pool;

  @BeforeEach
  void start() throws Exception {
    TestHosts.requireLibvirt();
    if (!Files.isExecutable(Path.of("/usr/bin/qemu-img"))) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail("libvirt's storage driver needs qemu-img: CI must apt-get install qemu-utils");
      }
      org.junit.jupiter.api.Assumptions.abort("qemu-img not installed (Debian package qemu-utils)");
    }
    daemon = LibvirtDaemon.start();
    c = LibvirtConnection.open(daemon.qemuSessionUri(), 5, 3);
    pool = c.nativeForTests().storagePoolCreateXML("<pool type='dir'><name>images</name><target><path>"
        + daemon.poolDir() + "</path></target></pool>", 0);
  }

  @AfterEach
  void stop() throws Exception {
    if (c != null) {
      c.close();
    }
    if (daemon != null) {
      daemon.close();
    }
  }

  private StorageVol base(byte[] content) {
    try {
      StorageVol v = pool.storageVolCreateXML(VolumeXml.raw("base.raw", content.length), 0);
      LibvirtNative.upload(c.nativeForTests(), c.uri(), v.getPath(), content);
      return v;
    } catch (org.libvirt.LibvirtException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void uploadWritesTheBytesThroughTheLibvirtStream() throws Exception {
    byte[] content = new byte[300_000];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) (i * 31);
    }
    StorageVol v = base(content);
    assertThat(Files.readAllBytes(Path.of(v.getPath()))).isEqualTo(content);
  }

  @Test
  void overlayIsAQcow2FileBackedByTheBaseAndSeedIsTheIsoImage() throws Exception {
    StorageVol b = base(new byte[1 << 20]);
    var spec = new DomainSpec("web-1", UUID, 1, 256,
        List.of(new DomainSpec.Disk("images", "base.raw", "raw", 1, "vda")), List.of(), "#cloud-config\n");
    DomainStorage storage = new DomainStorage(c.nativeForTests(), c.uri());
    List<StorageVol> created = new ArrayList<>();

    List<String> paths = storage.overlays(spec, created);
    String seed = storage.seed(spec, created);

    Path overlay = daemon.poolDir().resolve("web-1-vda.qcow2");
    assertThat(paths).containsExactly(overlay.toString());
    assertThat(qcow2BackingFile(overlay)).isEqualTo(b.getPath());
    assertThat(Files.readAllBytes(Path.of(seed))).isEqualTo(NoCloudSeed.iso(UUID, "web-1", "#cloud-config\n"));

    assertThat(storage.removeOwned("web-1")).isEqualTo(2);
    assertThat(overlay).doesNotExist();
    assertThat(Path.of(seed)).doesNotExist();
    assertThat(Path.of(b.getPath())).as("the base image is never removed").exists();
  }

  /** The backing file name from a qcow2 header (offset 8: 64-bit offset, 16: 32-bit length). */
  private static String qcow2BackingFile(Path file) throws Exception {
    ByteBuffer h = ByteBuffer.wrap(Files.readAllBytes(file));
    assertThat(h.getInt(0)).as("qcow2 magic QFI\\xfb").isEqualTo(0x514649fb);
    int offset = (int) h.getLong(8);
    int length = h.getInt(16);
    return new String(h.array(), offset, length, StandardCharsets.UTF_8);
  }
}
