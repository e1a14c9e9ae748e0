package org.corral.drivers.sim;

import java.util.Objects;
import org.corral.drivers.hypervisor.DomainSpec;
import org.corral.drivers.hypervisor.DomainStatus;
import org.jspecify.annotations.Nullable;

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
  /** The guest hangs: the domain runs, its guest agent answers nothing (cleared when it stops or starts again). */
  boolean hung;
  /** The operation in flight on this domain, or null. */
  @Nullable PendingOp op;

  SimDomain(DomainSpec spec) {
    this.spec = spec;
    this.live = spec;
  }

  String name() {
    return spec.name();
  }

  /** {@link #op}, for a domain in a phase that only an operation in flight puts it in (STARTING, STOPPING). */
  PendingOp opInFlight() {
    return Objects.requireNonNull(op, () -> name() + " is " + phase + " with no operation in flight");
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
