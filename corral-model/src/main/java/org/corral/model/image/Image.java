package org.corral.model.image;

import java.util.regex.Pattern;
import org.corral.model.InvalidInputException;
import org.corral.model.Names;
import org.jspecify.annotations.Nullable;

/**
 * A base disk image.
 *
 * @param pool    the libvirt storage pool holding it (on every host, or shared)
 * @param volume  the volume name (file) in that pool, e.g. {@code debian-12.qcow2}
 * @param format  qcow2 or raw
 * @param sizeGib virtual size in GiB
 * @param shared  true when the pool is shared storage (NFS, iSCSI, Ceph), which live migration
 *                and restart on another host require
 * @param kernel  for direct kernel boot: the kernel's absolute path on every host, or null to boot
 *                from the disk
 * @param initrd  the initial RAM disk's absolute path on every host (with a kernel), or null
 * @param cmdline the kernel command line (with a kernel), or null
 */
public record Image(String name, String pool, String volume, String format, long sizeGib, boolean shared,
    @Nullable String kernel, @Nullable String initrd, @Nullable String cmdline) {
  /** 64 TiB: beyond any real image, and far from overflowing a size in bytes. */
  public static final long MAX_SIZE_GIB = 64L * 1024;
  /**
   * A pool or volume name: one file name (at most 255 characters, no '/', not "." or ".."), of
   * printable characters that need no quoting in libvirt's XML or a shell.
   */
  /** An absolute path of printable characters that need no quoting in libvirt's XML or a shell. */
  private static final Pattern HOST_PATH = Pattern.compile("/[A-Za-z0-9_.+@/-]{1,4095}");
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
    requireHostPath("kernel", kernel);
    requireHostPath("initrd", initrd);
    if (kernel == null && (initrd != null || cmdline != null)) {
      throw new InvalidInputException(initrd != null ? "initrd" : "cmdline", "needs a kernel",
          "give kernel (the absolute path of the kernel to boot directly) or leave initrd and cmdline out");
    }
    if (cmdline != null && (cmdline.length() > 2048 || cmdline.chars().anyMatch(Character::isISOControl))) {
      throw new InvalidInputException("cmdline", "is not a kernel command line", "use at most 2048 printable characters on one line");
    }
  }

  /** An image whose VMs boot from its disk. */
  public Image(String name, String pool, String volume, String format, long sizeGib, boolean shared) {
    this(name, pool, volume, format, sizeGib, shared, null, null, null);
  }

  /** A file on every host, for direct kernel boot: absolute, normalised, printable, or absent. */
  private static void requireHostPath(String field, @Nullable String path) {
    if (path == null) {
      return;
    }
    if (!HOST_PATH.matcher(path).matches() || path.contains("/../") || path.endsWith("/..") || path.contains("/./")) {
      throw new InvalidInputException(field, InvalidInputException.quote(path) + " is not an absolute file path",
          "give the file's absolute path on every host, e.g. /var/lib/libvirt/boot/vmlinuz (letters, digits and / . _ - + only)");
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
