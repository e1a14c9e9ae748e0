package org.corral.drivers.libvirt;

import org.corral.drivers.hypervisor.DomainEvent;
import org.corral.drivers.hypervisor.DomainState;
import org.jspecify.annotations.Nullable;
import org.libvirt.DomainInfo;
import org.libvirt.event.StoppedDetail;

/** Translates libvirt's domain states and lifecycle events into Corral's. Pure. */
final class DomainStates {
  private DomainStates() {}

  static DomainState of(DomainInfo.DomainState s) {
    if (s == null) {
      return DomainState.NOSTATE;
    }
    return switch (s) {
      case VIR_DOMAIN_NOSTATE -> DomainState.NOSTATE;
      case VIR_DOMAIN_RUNNING -> DomainState.RUNNING;
      case VIR_DOMAIN_BLOCKED -> DomainState.BLOCKED;
      case VIR_DOMAIN_PAUSED -> DomainState.PAUSED;
      case VIR_DOMAIN_SHUTDOWN -> DomainState.SHUTDOWN;
      case VIR_DOMAIN_SHUTOFF -> DomainState.SHUTOFF;
      case VIR_DOMAIN_CRASHED -> DomainState.CRASHED;
    };
  }

  /** The event kind for a libvirt lifecycle event, or null for one Corral does not report. */
  static DomainEvent.@Nullable Kind of(org.libvirt.event.DomainEvent e) {
    Object detail = e.getDetail();
    return switch (e.getType()) {
      case DEFINED -> DomainEvent.Kind.DEFINED;
      case UNDEFINED -> DomainEvent.Kind.UNDEFINED;
      case STARTED -> DomainEvent.Kind.STARTED;
      case SUSPENDED, PMSUSPENDED -> DomainEvent.Kind.SUSPENDED;
      case RESUMED -> DomainEvent.Kind.RESUMED;
      // FAILED is how QEMU reports a process that died under the guest (kill -9, an abort): a crash.
      case STOPPED -> detail == StoppedDetail.MIGRATED ? DomainEvent.Kind.MIGRATED
          : detail == StoppedDetail.CRASHED || detail == StoppedDetail.FAILED ? DomainEvent.Kind.CRASHED
          : DomainEvent.Kind.STOPPED;
      case SHUTDOWN -> DomainEvent.Kind.SHUTDOWN;
      case CRASHED -> DomainEvent.Kind.CRASHED;
      case UNKNOWN -> null;
    };
  }
}
