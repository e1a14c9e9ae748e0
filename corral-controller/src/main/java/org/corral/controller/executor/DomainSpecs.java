package org.corral.controller.executor;

import java.util.ArrayList;
import java.util.List;
import org.corral.controller.state.ControllerState;
import org.corral.drivers.hypervisor.DomainSpec;
import org.corral.model.host.LockManager;
import org.corral.model.image.Image;
import org.corral.model.network.Network;
import org.corral.model.vm.DiskSpec;
import org.corral.model.vm.NicLease;
import org.corral.model.vm.Vm;

/** Turns a VM, its images and its leases into the hypervisor-neutral domain definition. */
final class DomainSpecs {
  private DomainSpecs() {}

  /**
   * The domain of {@code vm} as it is defined on {@code host}: with a sanlock lease per disk when
   * that host runs sanlock ({@code <lease>}: lockspace {@value LockManager#LOCKSPACE}, key
   * {@code <uuid>-<disk>}, a file of that name in its lease directory), so the same disk has the
   * same lease on every host.
   */
  static DomainSpec of(Vm vm, String host, ControllerState s) {
    List<DomainSpec.Disk> disks = new ArrayList<>();
    DomainSpec.Boot boot = null;
    int i = 0;
    for (DiskSpec d : vm.spec().disks()) {
      Image img = s.image(d.image()).orElseThrow(() -> new IllegalStateException(
          "image '" + d.image() + "' of VM " + vm.name() + " was deleted"));
      if (i == 0 && img.kernel() != null) {
        // The first disk's image says how the VM boots, as a boot loader on that disk would.
        boot = new DomainSpec.Boot(img.kernel(), img.initrd(), img.cmdline());
      }
      long size = Math.max(d.sizeGib(), img.sizeGib());
      disks.add(new DomainSpec.Disk(img.pool(), img.volume(), img.format(), size, "vd" + (char) ('a' + i++)));
    }
    List<DomainSpec.Nic> nics = new ArrayList<>();
    for (NicLease l : vm.leases()) {
      Network n = s.network(l.network()).orElseThrow(() -> new IllegalStateException(
          "network '" + l.network() + "' of VM " + vm.name() + " was deleted"));
      // A bridge name starting with "net:" means a libvirt network rather than a host bridge.
      if (n.bridge().startsWith("net:")) {
        nics.add(new DomainSpec.Nic(null, n.bridge().substring(4), l.mac()));
      } else {
        nics.add(new DomainSpec.Nic(n.bridge(), null, l.mac()));
      }
    }
    List<DomainSpec.Lease> leases = new ArrayList<>();
    LockManager lock = s.host(host).map(h -> h.lockManager()).orElse(LockManager.NONE);
    if (lock.kind() == LockManager.Kind.SANLOCK) {
      for (DomainSpec.Disk d : disks) {
        String key = vm.uuid() + "-" + d.target();
        leases.add(new DomainSpec.Lease(LockManager.LOCKSPACE, key, lock.leaseDir() + "/" + key, 0));
      }
    }
    return new DomainSpec(vm.name(), vm.uuid(), vm.spec().cpus(), vm.spec().memoryMib(), disks, nics, vm.spec().userData(), boot,
        leases);
  }

  /** True when every disk of the VM lives on shared storage (live migration needs it). */
  static boolean sharedStorage(Vm vm, ControllerState s) {
    for (DiskSpec d : vm.spec().disks()) {
      if (s.image(d.image()).map(img -> !img.shared()).orElse(true)) {
        return false;
      }
    }
    return true;
  }
}
