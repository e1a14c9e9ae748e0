package org.corral.policy.placement;

import java.util.List;
import org.corral.model.image.Image;
import org.corral.model.vm.DiskSpec;

/**
 * A host that answers but whose storage leases EXPIRED has lost its path to the shared storage:
 * it cannot take the lease of a disk there, so a VM with such a disk would be refused or killed
 * by its lock manager. It takes no such VM (a new one, a migration, a recovery) until the storage
 * says it holds its leases again. Only a VM whose disks are all local may still go there; one
 * without disks may not (nothing says it needs no lease, and the simulated lab leases every
 * domain), and an image Corral does not know counts as local, as in the recovery's
 * {@code Recovery.localDisk}.
 */
final class StorageLeaseFilter implements HostFilter {
  static final String REASON = "host-storage-lost";

  @Override
  public String reason() {
    return REASON;
  }

  @Override
  public boolean accepts(PlacementState state, int host, Candidate vm) {
    return !state.storageLost[host] || allLocal(state, vm);
  }

  /** True when the VM has disks and none of them is on shared storage (an image marked shared). */
  private static boolean allLocal(PlacementState state, Candidate vm) {
    List<DiskSpec> disks = vm.vm().spec().disks();
    for (DiskSpec d : disks) {
      Image img = state.images.get(d.image());
      if (img != null && img.shared()) {
        return false;
      }
    }
    return !disks.isEmpty();
  }

  @Override
  public String explain(int rejected, PlacementState state, Candidate vm) {
    return HostFilter.hosts(rejected, "has", "have") + " lost the shared storage (storage leases EXPIRED): "
        + vm.name() + " needs a storage lease there";
  }
}
