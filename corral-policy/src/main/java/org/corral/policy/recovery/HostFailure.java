package org.corral.policy.recovery;

/**
 * What is known of one host that stopped answering, besides its state: the inputs of the fencing
 * decision that a snapshot does not carry.
 *
 * @param bmc          what its power controller last said
 * @param leaseExpired true when the storage leases of its VMs have expired (the host can no
 *                     longer be writing their disks)
 * @param confirmedOff true when an administrator confirmed the host is off
 *                     ({@code corral host confirm-off}) since it went DOWN
 * @param soft         where soft fencing (restarting its hypervisor daemon) stands
 */
public record HostFailure(BmcAnswer bmc, boolean leaseExpired, boolean confirmedOff, SoftFence soft) {
  /** Nothing known yet. */
  public static final HostFailure UNKNOWN = new HostFailure(BmcAnswer.NOT_ASKED, false, false);

  /** Without soft fencing. */
  public HostFailure(BmcAnswer bmc, boolean leaseExpired, boolean confirmedOff) {
    this(bmc, leaseExpired, confirmedOff, SoftFence.NOT_CONFIGURED);
  }

  /** The same facts with soft fencing at {@code s}. */
  public HostFailure withSoft(SoftFence s) {
    return new HostFailure(bmc, leaseExpired, confirmedOff, s);
  }
}
