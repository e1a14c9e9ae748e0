package org.corral.model.image;

import java.util.regex.Pattern;
import org.corral.model.InvalidInputException;
import org.corral.model.Names;

/**
 * A base disk image.
 *
 * @param pool    the libvirt storage pool holding it (on every host, or shared)
 * @param volume  the volume name (file) in that pool, e.g. {@code debian-12.qcow2}
 * @param format  qcow2 or raw
 * @param sizeGib virtual size in GiB
 * @param shared  true when the pool is shared storage (NFS, iSCSI, Ceph), which live migration
 *                and restart on another host require
 */
public record Image(String name, String pool, String volume, String format, long sizeGib, boolean shared) {
  /** 64 TiB: beyond any real image, and far from overflowing a size in bytes. */
  public static final long MAX_SIZE_GIB = 64L * 1024;
  /**
   * A pool or volume name: one file name (at most 255 characters, no '/', not "." or ".."), of
   * printable characters that need no quoting in libvirt's XML or a shell.
   */
  private static final Pattern FILE_NAME = Pattern.compile("(?!\\.{1,2}$)[A-Za-z0-9_.+@-][A-Za-z0-9_.+@:-]{0,254}");

  public Image {
    Names.require("name", name);
    requireFileName("pool", pool, "name the libvirt storage pool, e.g. default");
    requireFileName("volume", volume, "name the image file in the pool, e.g. debian-12.qcow2");
    format = format == null ? "qcow2" : format;
    if (!format.equals("qcow2") && !format.equals("raw")) {
      throw new InvalidInputException("format", InvalidInputException.quote(format) + " is not supported", "use qcow2 or raw");
    }
    if (sizeGib <= 0 || sizeGib > MAX_SIZE_GIB) {
      throw new InvalidInputException("sizeGib", "must be from 1 to " + MAX_SIZE_GIB + ", got " + sizeGib, "give the virtual size in GiB");
    }
  }

  private static void requireFileName(String field, String value, String fix) {
    if (value == null || value.isBlank()) {
      throw new InvalidInputException(field, "is missing", fix);
    }
    if (!FILE_NAME.matcher(value).matches()) {
      throw new InvalidInputException(field, InvalidInputException.quote(value) + " is not a file name in a pool",
          "use at most 255 letters, digits and . _ - + @ :, no '/' and not '..'; " + fix);
    }
  }
}
