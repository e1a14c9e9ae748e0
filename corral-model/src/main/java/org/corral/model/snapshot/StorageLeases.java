package org.corral.model.snapshot;

/**
 * What the shared storage last said of the storage leases a host holds for its VMs' disks
 * (docs/high-availability.md, "Storage leases"), as the Monitor reads it with each full poll.
 * For a host that answers, EXPIRED means it cannot renew them: it has lost its path to the shared
 * storage, and a VM on shared storage started there would be killed (or refused) for want of its
 * disk's lease.
 */
public enum StorageLeases {
  /** It renews its leases, or they have not run out yet. */
  HELD,
  /** Its leases ran out: its VMs on shared storage cannot run there. */
  EXPIRED,
  /** Not read yet, or its lock manager cannot be read (no lock manager, libvirt): taken as held. */
  UNKNOWN
}
