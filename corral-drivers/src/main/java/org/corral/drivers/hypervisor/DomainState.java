package org.corral.drivers.hypervisor;

/** Domain states as libvirt reports them (virDomainState). */
public enum DomainState {
  NOSTATE, RUNNING, BLOCKED, PAUSED, SHUTDOWN, SHUTOFF, CRASHED, PMSUSPENDED;

  /** True when the guest is executing or about to (RUNNING, BLOCKED = idle in a running guest). */
  public boolean isActive() {
    return this == RUNNING || this == BLOCKED || this == PAUSED || this == SHUTDOWN || this == PMSUSPENDED;
  }
}
