package org.corral.drivers.libvirt;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a minimal ISO 9660 image with a Joliet tree: a few small files in the root directory, as a
 * cloud-init NoCloud seed needs. Written by hand (about 150 lines) so that neither the controller
 * nor CI needs genisoimage. Joliet carries the real names ({@code user-data}); the primary tree has
 * 8.3 names for readers without Joliet. Deterministic: fixed timestamps, sorted entries.
 *
 * <p>Layout, in 2048-byte sectors: 16 primary descriptor, 17 Joliet descriptor, 18 terminator,
 * 19-22 path tables (primary L/M, Joliet L/M), 23 primary root directory, 24 Joliet root
 * directory, then the files' data.
 */
final class Iso9660Image {
  static final int SECTOR = 2048;
  private static final int ROOT_PRIMARY = 23;
  private static final int ROOT_JOLIET = 24;
  private static final int FIRST_DATA = 25;
  /** 2026-01-01 00:00:00 UTC as a directory record date (years since 1900). */
  private static final byte[] RECORD_DATE = {126, 1, 1, 0, 0, 0, 0};

  private Iso9660Image() {}

  /**
   * @param volumeId label, e.g. {@code cidata}; upper-cased in the primary descriptor
   * @param files    file name (plain ASCII, at most 64 characters) to content
   */
  static byte[] write(String volumeId, Map<String, byte[]> files) {
    TreeMap<String, byte[]> sorted = new TreeMap<>(files);
    List<Entry> entries = new ArrayList<>();
    int sector = FIRST_DATA;
    for (Map.Entry<String, byte[]> f : sorted.entrySet()) {
      entries.add(new Entry(f.getKey(), primaryName(f.getKey()), f.getValue(), sector));
      sector += sectors(f.getValue().length);
    }
    int total = sector;
    ByteBuffer img = ByteBuffer.allocate(total * SECTOR);
    descriptor(img, 16, 1, volumeId.toUpperCase(java.util.Locale.ROOT), false, total, ROOT_PRIMARY, 19, 20);
    descriptor(img, 17, 2, volumeId, true, total, ROOT_JOLIET, 21, 22);
    img.put(18 * SECTOR, (byte) 255).put(18 * SECTOR + 1, "CD001".getBytes(StandardCharsets.US_ASCII))
        .put(18 * SECTOR + 6, (byte) 1);
    pathTable(img, 19, ROOT_PRIMARY, ByteOrder.LITTLE_ENDIAN);
    pathTable(img, 20, ROOT_PRIMARY, ByteOrder.BIG_ENDIAN);
    pathTable(img, 21, ROOT_JOLIET, ByteOrder.LITTLE_ENDIAN);
    pathTable(img, 22, ROOT_JOLIET, ByteOrder.BIG_ENDIAN);
    directory(img, ROOT_PRIMARY, entries, false);
    directory(img, ROOT_JOLIET, entries, true);
    for (Entry e : entries) {
      img.put(e.sector * SECTOR, e.data);
    }
    return img.array();
  }

  private record Entry(String name, String primary, byte[] data, int sector) {}

  private static int sectors(int bytes) {
    return (bytes + SECTOR - 1) / SECTOR;
  }

  /** {@code user-data} becomes {@code USER_DAT.;1}: level-1 d-characters, 8.3, version 1. */
  static String primaryName(String name) {
    String upper = name.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9_.]", "_");
    int dot = upper.lastIndexOf('.');
    String base = dot < 0 ? upper : upper.substring(0, dot);
    String ext = dot < 0 ? "" : upper.substring(dot + 1);
    base = base.replace('.', '_');
    return base.substring(0, Math.min(8, base.length())) + "." + ext.substring(0, Math.min(3, ext.length())) + ";1";
  }

  private static void descriptor(ByteBuffer img, int sector, int type, String volumeId, boolean joliet,
      int totalSectors, int rootSector, int lTable, int mTable) {
    int o = sector * SECTOR;
    img.put(o, (byte) type).put(o + 1, "CD001".getBytes(StandardCharsets.US_ASCII)).put(o + 6, (byte) 1);
    fill(img, o + 8, 32, joliet);
    putText(img, o + 40, 32, volumeId, joliet);
    bothEndian32(img, o + 80, totalSectors);
    if (joliet) {
      // Escape sequence "%/E": UCS-2 level 3.
      img.put(o + 88, (byte) 0x25).put(o + 89, (byte) 0x2F).put(o + 90, (byte) 0x45);
    }
    bothEndian16(img, o + 120, 1);
    bothEndian16(img, o + 124, 1);
    bothEndian16(img, o + 128, SECTOR);
    bothEndian32(img, o + 132, 10);
    img.order(ByteOrder.LITTLE_ENDIAN).putInt(o + 140, lTable);
    img.order(ByteOrder.BIG_ENDIAN).putInt(o + 148, mTable);
    record(img, o + 156, new byte[] {0}, rootSector, SECTOR, true);
    fill(img, o + 190, 623, joliet);
    for (int d = 0; d < 4; d++) {
      // Creation, modification, expiration, effective dates: all "not specified".
      for (int i = 0; i < 16; i++) {
        img.put(o + 813 + d * 17 + i, (byte) '0');
      }
    }
    img.put(o + 881, (byte) 1);
  }

  private static void pathTable(ByteBuffer img, int sector, int rootSector, ByteOrder order) {
    int o = sector * SECTOR;
    img.put(o, (byte) 1);
    img.order(order).putInt(o + 2, rootSector);
    img.order(order).putShort(o + 6, (short) 1);
  }

  private static void directory(ByteBuffer img, int sector, List<Entry> entries, boolean joliet) {
    int o = sector * SECTOR;
    o += record(img, o, new byte[] {0}, sector, SECTOR, true);
    o += record(img, o, new byte[] {1}, sector, SECTOR, true);
    for (Entry e : entries) {
      byte[] name = joliet ? e.name.getBytes(StandardCharsets.UTF_16BE) : e.primary.getBytes(StandardCharsets.US_ASCII);
      o += record(img, o, name, e.data.length == 0 ? 0 : e.sector, e.data.length, false);
    }
    if (o > (sector + 1) * SECTOR) {
      throw new IllegalArgumentException("too many files for a one-sector root directory");
    }
  }

  /** Writes one directory record at {@code o}; returns its length. */
  private static int record(ByteBuffer img, int o, byte[] name, int extent, int length, boolean dir) {
    int len = 33 + name.length + (name.length % 2 == 0 ? 1 : 0);
    img.put(o, (byte) len);
    bothEndian32(img, o + 2, extent);
    bothEndian32(img, o + 10, length);
    img.put(o + 18, RECORD_DATE);
    img.put(o + 25, (byte) (dir ? 2 : 0));
    bothEndian16(img, o + 28, 1);
    img.put(o + 32, (byte) name.length);
    img.put(o + 33, name);
    return len;
  }

  private static void putText(ByteBuffer img, int o, int width, String text, boolean joliet) {
    byte[] b = text.getBytes(joliet ? StandardCharsets.UTF_16BE : StandardCharsets.US_ASCII);
    img.put(o, b, 0, Math.min(width, b.length));
  }

  /** Pads a text field with spaces (UCS-2 spaces in the Joliet descriptor). */
  private static void fill(ByteBuffer img, int o, int width, boolean joliet) {
    for (int i = 0; i < width; i++) {
      img.put(o + i, joliet && i % 2 == 0 ? 0 : (byte) ' ');
    }
  }

  private static void bothEndian16(ByteBuffer img, int o, int v) {
    img.order(ByteOrder.LITTLE_ENDIAN).putShort(o, (short) v);
    img.order(ByteOrder.BIG_ENDIAN).putShort(o + 2, (short) v);
  }

  private static void bothEndian32(ByteBuffer img, int o, int v) {
    img.order(ByteOrder.LITTLE_ENDIAN).putInt(o, v);
    img.order(ByteOrder.BIG_ENDIAN).putInt(o + 4, v);
  }
}
