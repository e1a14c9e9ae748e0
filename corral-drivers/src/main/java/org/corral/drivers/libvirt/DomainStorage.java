package org.corral.drivers.libvirt;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.corral.drivers.DriverException;
import org.corral.drivers.DriverException.Kind;
import org.corral.drivers.hypervisor.DomainSpec;
import org.jspecify.annotations.Nullable;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;
import org.libvirt.StorageVol;

/**
 * A domain's own volumes on one host: qcow2 overlays on base images and the cloud-init seed ISO.
 * Corral owns exactly the volumes named {@code <domain>-<target>.qcow2} and {@code <domain>-seed.iso};
 * base images are only ever read. Runs on the caller's (virtual) thread; blocking.
 */
final class DomainStorage {
  private final NativeConnect conn;
  private final String uri;

  DomainStorage(NativeConnect conn, String uri) {
    this.conn = conn;
    this.uri = uri;
  }

  /**
   * Finds or creates one overlay per disk and returns their paths, in disk order. Volumes it
   * creates are added to {@code created} so the caller can roll back.
   */
  List<String> overlays(DomainSpec spec, List<StorageVol> created) throws LibvirtException {
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < spec.disks().size(); i++) {
      DomainSpec.Disk d = spec.disks().get(i);
      StoragePool pool = pool(d.pool(), "spec.disks[" + i + "].pool", spec.name());
      StorageVol base = baseVolume(pool, d, i, spec.name());
      String name = VolumeXml.overlayName(spec.name(), d.target());
      StorageVol overlay = findVolume(pool, name);
      if (overlay == null) {
        overlay = pool.storageVolCreateXML(VolumeXml.overlay(name, d.sizeGib(), base.getPath(), d.format()), 0);
        created.add(overlay);
      }
      paths.add(overlay.getPath());
    }
    return paths;
  }

  /** Finds or creates the seed ISO in the first disk's pool and returns its path; {@code spec} has user data. */
  String seed(DomainSpec spec, List<StorageVol> created) throws LibvirtException {
    StoragePool pool = pool(spec.disks().get(0).pool(), "spec.disks[0].pool", spec.name());
    String name = VolumeXml.seedName(spec.name());
    StorageVol vol = findVolume(pool, name);
    if (vol != null) {
      return vol.getPath();
    }
    byte[] iso = NoCloudSeed.iso(spec.uuid(), spec.name(),
        Objects.requireNonNull(spec.userData(), "a seed ISO is made only for a spec with user data"));
    vol = pool.storageVolCreateXML(VolumeXml.raw(name, iso.length), 0);
    created.add(vol);
    try {
      LibvirtNative.upload(conn, uri, vol.getPath(), iso);
    } catch (DriverException e) {
      // The test driver keeps no volume contents and cannot upload; a real host must take the bytes.
      if (!(e.kind() == Kind.UNSUPPORTED && DomainType.forUri(uri) == DomainType.TEST)) {
        throw e;
      }
    }
    return vol.getPath();
  }

  /** Deletes what {@link #overlays}/{@link #seed} created in a define that then failed. Best effort. */
  void rollback(List<StorageVol> created) {
    for (StorageVol v : created) {
      try {
        v.delete(0);
      } catch (LibvirtException ignored) {
        // The define already failed; the leftover volume is found and reused by the next define.
      }
    }
  }

  /**
   * Deletes the domain's own volumes in every active pool and returns how many. An overlay is
   * deleted only if it has a backing store, so a base image that happens to match the naming
   * pattern is never touched.
   */
  int removeOwned(String domain) throws LibvirtException {
    Pattern overlay = Pattern.compile(Pattern.quote(domain) + "-(vd|sd|hd|xvd)[a-z]{1,2}\\.qcow2");
    String seed = VolumeXml.seedName(domain);
    int removed = 0;
    for (String poolName : conn.listStoragePools()) {
      StoragePool pool = conn.storagePoolLookupByName(poolName);
      // On shared storage another host may have made the volumes (the domain migrated here): a
      // pool lists a file made behind its back only after a refresh.
      pool.refresh(0);
      for (String volName : pool.listVolumes()) {
        boolean mine = volName.equals(seed)
            || overlay.matcher(volName).matches() && isOverlay(pool.storageVolLookupByName(volName));
        if (mine) {
          try {
            pool.storageVolLookupByName(volName).delete(0);
            removed++;
          } catch (LibvirtException e) {
            if (LibvirtErrors.code(e) != LibvirtErrorCodes.NO_STORAGE_VOL) {
              throw e;
            }
          }
        }
      }
    }
    return removed;
  }

  private static boolean isOverlay(StorageVol vol) throws LibvirtException {
    return vol.getXMLDesc(0).contains("<backingStore>");
  }

  private StoragePool pool(String name, String field, String domain) throws LibvirtException {
    StoragePool pool;
    try {
      pool = conn.storagePoolLookupByName(name);
    } catch (LibvirtException e) {
      if (LibvirtErrors.code(e) != LibvirtErrorCodes.NO_STORAGE_POOL) {
        throw e;
      }
      throw new DriverException(Kind.REJECTED, LibvirtErrors.describe("define", uri, domain) + ": storage pool '"
          + name + "' (" + field + ") does not exist; define and start it on the host (virsh pool-define-as "
          + name + " dir --target /var/lib/libvirt/images; virsh pool-start " + name + "; virsh pool-autostart "
          + name + ") or name an existing pool", e);
    }
    if (pool.isActive() == 0) {
      throw new DriverException(Kind.REJECTED, LibvirtErrors.describe("define", uri, domain) + ": storage pool '"
          + name + "' (" + field + ") is not active; start it (virsh pool-start " + name + "; virsh pool-autostart "
          + name + ")");
    }
    return pool;
  }

  private StorageVol baseVolume(StoragePool pool, DomainSpec.Disk d, int i, String domain) throws LibvirtException {
    StorageVol vol = findVolume(pool, d.baseVolume());
    if (vol == null) {
      // A file copied into the pool's directory appears only after a refresh.
      pool.refresh(0);
      vol = findVolume(pool, d.baseVolume());
    }
    if (vol == null) {
      throw new DriverException(Kind.REJECTED, LibvirtErrors.describe("define", uri, domain) + ": base volume '"
          + d.baseVolume() + "' (spec.disks[" + i + "].baseVolume) is not in storage pool '" + d.pool()
          + "'; copy the image into the pool (virsh vol-create-as " + d.pool() + " " + d.baseVolume()
          + " <size> --format " + d.format() + "; virsh vol-upload --pool " + d.pool() + " " + d.baseVolume()
          + " <file>) or fix the name");
    }
    return vol;
  }

  private static @Nullable StorageVol findVolume(StoragePool pool, String name) throws LibvirtException {
    try {
      return pool.storageVolLookupByName(name);
    } catch (LibvirtException e) {
      if (LibvirtErrors.code(e) == LibvirtErrorCodes.NO_STORAGE_VOL) {
        return null;
      }
      throw e;
    }
  }
}
