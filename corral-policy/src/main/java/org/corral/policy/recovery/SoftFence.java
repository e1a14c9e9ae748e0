package org.corral.policy.recovery;

/**
 * Where soft fencing stands for a host that stopped answering: restarting its hypervisor daemon
 * (libvirtd over SSH) before its power is cut, so that a host whose daemon died is not powered
 * off with its VMs running, nor its VMs restarted elsewhere.
 */
public enum SoftFence {
  /** The host has no soft fencing method ({@code power.soft}): fenced at once. */
  NOT_CONFIGURED,
  /** It has one, not tried since the host went DOWN. */
  AVAILABLE,
  /** The hypervisor is being restarted, and its answer awaited. */
  RUNNING,
  /** Tried since the host went DOWN, and the host is still DOWN: fence it. */
  TRIED
}
