package org.corral.drivers.hypervisor;

import java.time.Duration;

/**
 * How to live-migrate.
 *
 * @param bandwidthMibPerSec 0 for unlimited
 * @param autoConverge       throttle the guest's vCPUs if memory is dirtied faster than copied
 * @param timeout            abort the migration after this long
 */
public record MigrationOptions(long bandwidthMibPerSec, boolean autoConverge, Duration timeout) {
  public static final MigrationOptions DEFAULT = new MigrationOptions(0, true, Duration.ofMinutes(10));
}
