package org.corral.drivers.hypervisor;

import java.util.Set;
import java.util.concurrent.CompletionStage;

/** Opens connections to hypervisors whose URI scheme it handles. */
public interface HypervisorDriver {
  /** URI schemes handled, e.g. {@code qemu+ssh}, {@code qemu}, {@code xen+ssh}, {@code test}, {@code sim}. */
  Set<String> schemes();

  /**
   * Connects to the hypervisor at {@code uri}. Fails with
   * {@link org.corral.drivers.DriverException.Kind#UNREACHABLE} or {@code AUTH} when it cannot.
   */
  CompletionStage<HypervisorConnection> connect(String uri);

  /**
   * The storage leases held by the host at {@code uri} for its VMs' disks, as the storage or its
   * lock manager reports them (not the host: it is asked when the host does not answer). Drivers
   * that cannot tell keep this default, {@link LeaseStatus#UNKNOWN}, which counts as held.
   */
  default CompletionStage<LeaseStatus> leases(String uri) {
    return java.util.concurrent.CompletableFuture.completedFuture(LeaseStatus.UNKNOWN);
  }
}
