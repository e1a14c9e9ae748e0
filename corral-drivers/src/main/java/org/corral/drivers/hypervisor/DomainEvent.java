package org.corral.drivers.hypervisor;

/** A lifecycle event from a hypervisor. Carries an identity only; the Monitor re-reads state. */
public record DomainEvent(String hostUri, String domain, Kind kind) {
  /** What happened. */
  public enum Kind {
    DEFINED, UNDEFINED, STARTED, SUSPENDED, RESUMED, STOPPED, SHUTDOWN, CRASHED, MIGRATED, CONNECTION_LOST
  }
}
