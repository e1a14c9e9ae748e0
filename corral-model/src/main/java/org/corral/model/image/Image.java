package org.corral.model.image;

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
  public Image {
    Names.require("name", name);
    if (pool == null || pool.isBlank()) {
      throw new InvalidInputException("pool", "is missing", "name the libvirt storage pool, e.g. default");
    }
    if (volume == null || volume.isBlank()) {
      throw new InvalidInputException("volume", "is missing", "name the image file in the pool, e.g. debian-12.qcow2");
    }
    format = format == null ? "qcow2" : format;
    if (!format.equals("qcow2") && !format.equals("raw")) {
      throw new InvalidInputException("format", "'" + format + "' is not supported", "use qcow2 or raw");
    }
    if (sizeGib <= 0) {
      throw new InvalidInputException("sizeGib", "must be positive, got " + sizeGib, "give the virtual size in GiB");
    }
  }
}
