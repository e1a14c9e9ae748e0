package org.corral.policy.recovery;

/** What a failed host's power controller (its BMC, or the power method it has) last said. */
public enum BmcAnswer {
  /** Not asked yet since the host stopped answering. */
  NOT_ASKED,
  /** The power reads on: the host may still run its VMs (cut off from the controller, or hung). */
  ON,
  /** The power reads off. */
  OFF,
  /** The power controller does not answer: nothing can be confirmed through it. */
  UNREACHABLE,
  /** The host has no power method to fence with (no {@code power.on}/{@code power.off}). */
  NO_POWER_CONTROL
}
