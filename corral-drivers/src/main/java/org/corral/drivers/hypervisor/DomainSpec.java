package org.corral.drivers.hypervisor;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Everything needed to define a domain, independent of any hypervisor's XML. The controller
 * builds it from a VM, its images and its network leases.
 *
 * @param userData cloud-init user data; when non-null the driver attaches a NoCloud seed ISO
 * @param boot     a kernel to boot directly (the image's), or null to boot from the first disk
 * @param leases   storage leases the host's lock manager (sanlock) must hold while the domain
 *                 runs: it does not start unless it can acquire them, and is killed when they
 *                 are lost; empty with virtlockd (which locks the disks themselves) or no lock manager
 */
public record DomainSpec(String name, String uuid, int vcpus, long memoryMib, List<Disk> disks, List<Nic> nics,
    @Nullable String userData, @Nullable Boot boot, List<Lease> leases) {
  public DomainSpec {
    disks = List.copyOf(disks);
    nics = List.copyOf(nics);
    leases = List.copyOf(leases);
  }

  /** Without storage leases. */
  public DomainSpec(String name, String uuid, int vcpus, long memoryMib, List<Disk> disks, List<Nic> nics,
      @Nullable String userData, @Nullable Boot boot) {
    this(name, uuid, vcpus, memoryMib, disks, nics, userData, boot, List.of());
  }

  /**
   * A storage lease in libvirt's domain XML ({@code <lease>} under {@code <devices>}): held by
   * the host's lock manager (sanlock) for as long as the domain runs.
   *
   * @param lockspace the lockspace it belongs to (sanlock: at most 48 characters)
   * @param key       its unique name within the lockspace (sanlock: at most 48 characters)
   * @param path      the file on shared storage where the lease lives, the same on every host
   * @param offset    where in that file (0 for a file of its own)
   */
  public record Lease(String lockspace, String key, String path, long offset) {}

  /** A domain that boots from its first disk. */
  public DomainSpec(String name, String uuid, int vcpus, long memoryMib, List<Disk> disks, List<Nic> nics,
      @Nullable String userData) {
    this(name, uuid, vcpus, memoryMib, disks, nics, userData, null);
  }

  /**
   * Direct kernel boot: the hypervisor loads a kernel (and initrd) from the host's file system
   * instead of a boot loader from the disk.
   *
   * @param kernel  absolute path of the kernel on the host
   * @param initrd  absolute path of the initial RAM disk on the host, or null
   * @param cmdline the kernel command line, or null
   */
  public record Boot(String kernel, @Nullable String initrd, @Nullable String cmdline) {}

  /**
   * A disk made as a copy-on-write overlay of a base image.
   *
   * @param pool       storage pool of the base image (the overlay is created in the same pool)
   * @param baseVolume base image volume name
   * @param format     base image format (qcow2 or raw); the overlay is always qcow2
   * @param sizeGib    virtual size of the overlay (≥ the base image's)
   * @param target     guest device name, e.g. vda
   */
  public record Disk(String pool, String baseVolume, String format, long sizeGib, String target) {}

  /**
   * A NIC.
   *
   * @param bridge  host bridge name, used when {@code network} is null
   * @param network libvirt network name, or null
   * @param mac     the NIC's MAC address, or null to let the hypervisor pick one
   */
  public record Nic(@Nullable String bridge, @Nullable String network, @Nullable String mac) {}
}
