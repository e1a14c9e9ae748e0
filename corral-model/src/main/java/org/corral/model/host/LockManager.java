package org.corral.model.host;

import org.corral.model.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * The host's libvirt lock manager, which keeps a VM's disks from being used by two running
 * domains at once (docs/high-availability.md, "Storage leases"). It is set up on the host itself
 * ({@code lock_manager} in qemu.conf); Corral needs to know it only to write what it requires
 * into the domain XML.
 *
 * @param kind     which one the host runs
 * @param leaseDir with sanlock, the directory on shared storage (the same path on every host)
 *                 where each disk's lease file lives; Corral names one {@code <vm uuid>-<disk>} per
 *                 disk in a {@code <lease>} element. Null for the others.
 */
public record LockManager(Kind kind, @Nullable String leaseDir) {
  /** The lock managers libvirt offers. */
  public enum Kind {
    /** No lock manager: nothing keeps two hosts from running one VM but Corral itself. */
    NONE,
    /** virtlockd: locks the disk files themselves (fcntl), nothing in the domain XML. */
    LOCKD,
    /** sanlock: leases on shared storage named in the domain XML ({@code <lease>}). */
    SANLOCK;

    /** Parses {@code sanlock}, {@code lockd} (or {@code virtlockd}) or {@code none}, any case; errors name {@code field}. */
    public static Kind parse(String field, String kind) {
      return switch (kind.strip().toLowerCase(java.util.Locale.ROOT)) {
        case "sanlock" -> SANLOCK;
        case "lockd", "virtlockd" -> LOCKD;
        case "none" -> NONE;
        default -> throw new InvalidInputException(field, InvalidInputException.quote(kind) + " is not a lock manager",
            "use sanlock, lockd or none");
      };
    }
  }

  public static final LockManager NONE = new LockManager(Kind.NONE, null);

  /** The sanlock lockspace Corral's leases belong to. */
  public static final String LOCKSPACE = "corral";

  public LockManager {
    if (kind == null) {
      throw new InvalidInputException("lockManager", "is missing", "use sanlock, lockd or none");
    }
    if (kind == Kind.SANLOCK && (leaseDir == null || !leaseDir.startsWith("/"))) {
      throw new InvalidInputException("lockManager.leaseDir", leaseDir == null ? "is missing: sanlock needs a lease directory"
          : InvalidInputException.quote(leaseDir) + " is not an absolute path",
          "give the directory on shared storage that holds the lease files, e.g. /var/lib/libvirt/sanlock");
    }
    if (kind != Kind.SANLOCK && leaseDir != null) {
      throw new InvalidInputException("lockManager.leaseDir", "is only for sanlock", "remove it, or set lockManager: sanlock");
    }
  }

  /** Parses {@code sanlock}, {@code lockd} or {@code none} (any case); errors name {@code field}. */
  public static LockManager parse(String field, @Nullable String kind, @Nullable String leaseDir) {
    if (kind == null) {
      return NONE;
    }
    return new LockManager(Kind.parse(field, kind), leaseDir);
  }
}
