package org.corral.drivers.hypervisor;

import java.time.Duration;

/**
 * How to live-migrate.
 *
 * @param bandwidthMibPerSec 0 for unlimited
 * @param autoConverge       throttle the guest's vCPUs if memory is dirtied faster than copied
 * @param timeout            abort the migration after this long
 * @param unsafe             let the hypervisor migrate although it cannot prove the disks are on
 *                           shared storage (libvirt's VIR_MIGRATE_UNSAFE). Only for storage that is
 *                           shared but not recognised as such (one directory at the same path on
 *                           every node, as in the lab; a cluster file system libvirt does not know).
 *                           Never a default: with truly local disks the guest would run on a copy
 *                           that misses the source's writes.
 */
public record MigrationOptions(long bandwidthMibPerSec, boolean autoConverge, Duration timeout, boolean unsafe) {
  public static final MigrationOptions DEFAULT = new MigrationOptions(0, true, Duration.ofMinutes(10), false);

  /** Options that leave libvirt's shared-storage check on. */
  public MigrationOptions(long bandwidthMibPerSec, boolean autoConverge, Duration timeout) {
    this(bandwidthMibPerSec, autoConverge, timeout, false);
  }
}
