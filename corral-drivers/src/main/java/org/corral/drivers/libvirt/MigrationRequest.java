package org.corral.drivers.libvirt;

import org.corral.drivers.hypervisor.MigrationOptions;

/**
 * A live migration as libvirt takes it: {@code virDomainMigrateToURI(dom, dconnuri, flags, NULL,
 * bandwidth)}. Pure; the flag values are libvirt's {@code virDomainMigrateFlags}.
 *
 * @param destinationUri the destination's libvirt URI, used as the peer-to-peer {@code dconnuri}:
 *                       the source libvirtd opens it itself, so the source host needs credentials
 *                       for it (e.g. root's SSH key for {@code qemu+ssh})
 * @param flags          {@code VIR_MIGRATE_*} bits
 * @param bandwidthMibPerSec 0 for unlimited
 */
record MigrationRequest(String destinationUri, long flags, long bandwidthMibPerSec) {
  static final long LIVE = 1L;
  static final long PEER2PEER = 1L << 1;
  static final long TUNNELLED = 1L << 2;
  static final long PERSIST_DEST = 1L << 3;
  static final long UNDEFINE_SOURCE = 1L << 4;
  static final long UNSAFE = 1L << 9;
  static final long AUTO_CONVERGE = 1L << 13;

  /**
   * Live, peer-to-peer, persistent at the destination and undefined at the source, so the domain
   * exists on exactly one host afterwards; auto-converge, and unsafe (no shared-storage check),
   * only when asked.
   */
  static MigrationRequest of(String destinationUri, MigrationOptions options) {
    if (options.bandwidthMibPerSec() < 0) {
      throw new IllegalArgumentException("bandwidthMibPerSec must be >= 0, was " + options.bandwidthMibPerSec());
    }
    long flags = LIVE | PEER2PEER | PERSIST_DEST | UNDEFINE_SOURCE;
    if (options.autoConverge()) {
      flags |= AUTO_CONVERGE;
    }
    if (options.unsafe()) {
      flags |= UNSAFE;
    }
    return new MigrationRequest(destinationUri, flags, options.bandwidthMibPerSec());
  }

  boolean has(long flag) {
    return (flags & flag) == flag;
  }
}
