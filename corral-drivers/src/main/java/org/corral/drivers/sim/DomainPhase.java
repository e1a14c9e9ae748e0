package org.corral.drivers.sim;

import org.corral.drivers.hypervisor.DomainState;

/** Where a simulated domain is in its life; finer than libvirt's states during transitions. */
enum DomainPhase {
  /** Defined, not running. */
  SHUTOFF,
  /** Start requested, OS booting: memory held, no CPU used yet, shown as SHUTOFF. */
  STARTING,
  RUNNING,
  /** ACPI shutdown in progress: still using CPU and memory, shown as SHUTDOWN. */
  STOPPING;

  DomainState shown() {
    return switch (this) {
      case SHUTOFF, STARTING -> DomainState.SHUTOFF;
      case RUNNING -> DomainState.RUNNING;
      case STOPPING -> DomainState.SHUTDOWN;
    };
  }

  boolean usesCpu() {
    return this == RUNNING || this == STOPPING;
  }

  boolean holdsMemory() {
    return this != SHUTOFF;
  }
}
