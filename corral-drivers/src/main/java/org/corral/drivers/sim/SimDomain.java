package org.corral.drivers.sim;

import org.corral.drivers.hypervisor.DomainSpec;
import org.corral.drivers.hypervisor.DomainStatus;

/** One domain on one simulated host. Mutable; guarded by the data centre's lock. */
final class SimDomain {
  /** The persistent definition; a redefinition while running applies at the next start. */
  DomainSpec spec;
  /** The definition the running instance was started with. */
  DomainSpec live;
  DomainPhase phase = DomainPhase.SHUTOFF;
  /** Cumulative CPU time of the current instance. */
  double cpuNanos;
  /** Epoch nanos at which the workload clock started (the last completed start). */
  long origin;
  /** The operation in flight on this domain, or null. */
  PendingOp op;

  SimDomain(DomainSpec spec) {
    this.spec = spec;
    this.live = spec;
  }

  String name() {
    return spec.name();
  }

  long memoryMib() {
    return phase.holdsMemory() ? live.memoryMib() : 0;
  }

  DomainStatus status() {
    DomainSpec shown = phase.holdsMemory() ? live : spec;
    return new DomainStatus(spec.name(), spec.uuid(), phase.shown(), true, shown.vcpus(), shown.memoryMib(),
        Math.round(cpuNanos));
  }
}
