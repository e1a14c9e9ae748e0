package org.corral.drivers.hypervisor;

import org.jspecify.annotations.Nullable;

/**
 * A lifecycle event from a hypervisor. Carries an identity only; the Monitor re-reads state.
 * {@code domain} is null for {@link Kind#CONNECTION_LOST}, which concerns the whole host.
 */
public record DomainEvent(String hostUri, @Nullable String domain, Kind kind) {
  /** What happened. */
  public enum Kind {
    DEFINED, UNDEFINED, STARTED, SUSPENDED, RESUMED, STOPPED, SHUTDOWN, CRASHED, MIGRATED, CONNECTION_LOST
  }
}
