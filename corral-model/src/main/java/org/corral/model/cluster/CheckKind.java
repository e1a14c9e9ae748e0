package org.corral.model.cluster;

/** How a readiness or health check probes a member. */
public enum CheckKind {
  /** A TCP connection to {@code port} on the member's address succeeds. */
  TCP,
  /** An HTTP GET of {@code path} on {@code port} answers 2xx or 3xx. */
  HTTP,
  /** {@code command} run in the guest exits 0. */
  EXEC,
  /** A Nagios plugin run in the guest: exit 0 (OK) passes, 1 (WARNING) passes, 2 (CRITICAL) and 3 (UNKNOWN) fail. */
  NAGIOS
}
