package org.corral.drivers.hypervisor;

/**
 * What the shared storage says of the storage leases a host held for its VMs' disks (sanlock's
 * delta lease of the host, virtlockd's locks), asked of the storage or the lock manager, not of
 * the host itself: a host that stopped answering may still be writing.
 */
public enum LeaseStatus {
  /** The host renews its leases, or may still hold them (they have not run out). */
  HELD,
  /** The host stopped renewing and its leases ran out: its VMs no longer run, and cannot write their disks. */
  EXPIRED,
  /** Cannot be told (no lock manager, or none this driver can read): to be taken as HELD. */
  UNKNOWN
}
