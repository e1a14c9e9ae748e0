package org.corral.drivers.sim;

/** A simulated host's power, as its chassis would tell. Only an ON host's hypervisor answers. */
public enum SimPower {
  OFF, POWERING_ON, ON, POWERING_OFF;

  /** True when the chassis is powered (the BMC reports ON). */
  public boolean chassisOn() {
    return this != OFF;
  }
}
