package org.corral.drivers.sim;

import org.corral.drivers.hypervisor.DomainState;

/** Where a simulated domain is in its life; finer than libvirt's states during transitions. */
enum DomainPhase {
  /** Defined, not running. */
  SHUTOFF,
  /** Start requested, OS booting: memory held, no CPU used yet, shown as RUNNING (as libvirt shows a booting guest). */
  STARTING,
  RUNNING,
  /** ACPI shutdown in progress: still using CPU and memory, shown as SHUTDOWN. */
  STOPPING,
  /** The guest crashed (an injected fault): stopped, shown as CRASHED until started or destroyed. */
  CRASHED;

  DomainState shown() {
    return switch (this) {
      case SHUTOFF -> DomainState.SHUTOFF;
      // libvirt shows a domain RUNNING as soon as its QEMU process runs, while the guest boots:
      // a start still in flight (e.g. on a host cut off mid-call) must not look stopped.
      case STARTING, RUNNING -> DomainState.RUNNING;
      case STOPPING -> DomainState.SHUTDOWN;
      case CRASHED -> DomainState.CRASHED;
    };
  }

  boolean usesCpu() {
    return this == RUNNING || this == STOPPING;
  }

  boolean holdsMemory() {
    return this == STARTING || usesCpu();
  }

  /** Not running and not about to: may be started or undefined. */
  boolean stopped() {
    return this == SHUTOFF || this == CRASHED;
  }
}
