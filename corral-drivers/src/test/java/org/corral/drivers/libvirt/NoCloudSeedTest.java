package org.corral.drivers.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The seed ISO, read back by an independent minimal ISO 9660 reader written from ECMA-119 (this
 * class). The image was also checked once with genisoimage's {@code isoinfo -J -x /user-data} and
 * {@code blkid} (LABEL="cidata" TYPE="iso9660"); those tools are not needed to run this test.
 */
class NoCloudSeedTest {
  private static final int SECTOR = 2048;

  @Test
  void isoCarriesUserDataAndMetaDataUnderTheirJolietNames() {
    byte[] iso = NoCloudSeed.iso("id-42", "web-1", "#cloud-config\npackages: [htop]\n");
    assertThat(iso.length % SECTOR).isZero();
    Map<String, String> joliet = readRoot(iso, 17, true);
    assertThat(joliet).containsOnlyKeys("meta-data", "user-data");
    assertThat(joliet.get("user-data")).isEqualTo("#cloud-config\npackages: [htop]\n");
    assertThat(joliet.get("meta-data")).isEqualTo("instance-id: \"id-42\"\nlocal-hostname: \"web-1\"\n");
  }

  @Test
  void primaryTreeHasEightDotThreeNamesAndTheVolumeIsLabelledCidata() {
    byte[] iso = NoCloudSeed.iso("i", "h", "x");
    assertThat(new String(iso, 16 * SECTOR + 1, 5, StandardCharsets.US_ASCII)).isEqualTo("CD001");
    assertThat(new String(iso, 16 * SECTOR + 40, 32, StandardCharsets.US_ASCII).trim()).isEqualTo("CIDATA");
    assertThat(new String(iso, 17 * SECTOR + 40, 32, StandardCharsets.UTF_16BE).trim()).isEqualTo("cidata");
    assertThat(iso[18 * SECTOR] & 0xff).as("set terminator").isEqualTo(255);
    assertThat(readRoot(iso, 16, false)).containsOnlyKeys("META_DAT.;1", "USER_DAT.;1");
  }

  @Test
  void hostileHostNameCannotAddMetaDataKeys() {
    String meta = NoCloudSeed.metaData("id", "web\"\ninstance-id: evil");
    assertThat(meta.lines()).hasSize(2);
    assertThat(meta).contains("local-hostname: \"web\\\"\\ninstance-id: evil\"");
  }

  @Test
  void largeAndUnicodeUserDataSurvivesAcrossSectors() {
    String big = "#cloud-config\n# héllo ✓\n" + "x".repeat(10_000) + "\n";
    Map<String, String> files = readRoot(NoCloudSeed.iso("i", "h", big), 17, true);
    assertThat(files.get("user-data")).isEqualTo(big);
  }

  @Test
  void imageIsDeterministic() {
    assertThat(NoCloudSeed.iso("i", "h", "u")).isEqualTo(NoCloudSeed.iso("i", "h", "u"));
  }

  /** Follows the volume descriptor at {@code descriptorSector} to its root directory's files. */
  private static Map<String, String> readRoot(byte[] iso, int descriptorSector, boolean joliet) {
    ByteBuffer b = ByteBuffer.wrap(iso).order(ByteOrder.LITTLE_ENDIAN);
    int root = descriptorSector * SECTOR + 156;
    int rootExtent = b.getInt(root + 2);
    int rootLength = b.getInt(root + 10);
    Map<String, String> files = new LinkedHashMap<>();
    int o = rootExtent * SECTOR;
    int end = o + rootLength;
    while (o < end && (iso[o] & 0xff) > 0) {
      int len = iso[o] & 0xff;
      int nameLen = iso[o + 32] & 0xff;
      boolean dir = (iso[o + 25] & 2) != 0;
      if (!dir) {
        String name = new String(iso, o + 33, nameLen, joliet ? StandardCharsets.UTF_16BE : StandardCharsets.US_ASCII);
        int extent = b.getInt(o + 2);
        int size = b.getInt(o + 10);
        files.put(name, new String(iso, extent * SECTOR, size, StandardCharsets.UTF_8));
      }
      o += len;
    }
    return files;
  }
}
