package org.corral.model.vm;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What the Guardian knows of one service checked inside a VM (docs/high-availability.md,
 * "Service checks"), as the API shows it.
 *
 * @param name        the service's name within the VM
 * @param state       where it stands
 * @param failures    failed checks in a row (0 after a healthy one)
 * @param reason      the last check's first line of output, or the last decision taken on it
 * @param restarts    restarts made for it (of the service, its VM or a recreation) since the controller started
 * @param lastCheck   when it was last checked (null before its first check)
 * @param pausedUntil while PAUSED, when restarts may start again; else null
 */
public record ServiceState(String name, State state, int failures, String reason, int restarts, @Nullable Instant lastCheck,
    @Nullable Instant pausedUntil) {

  /** Where a service stands. */
  public enum State {
    /** Not checked yet (the VM is not running, or has not run for one check interval). */
    UNCHECKED,
    /** The last check passed (OK or WARNING). */
    HEALTHY,
    /** Its checks fail; the escalation is under way. */
    FAILING,
    /** Flapping: restarts stopped until {@code pausedUntil}. */
    PAUSED,
    /** Every step was taken and it still fails: administrators were told; nothing more is done. */
    GAVE_UP
  }

  public static ServiceState unchecked(String name) {
    return new ServiceState(name, State.UNCHECKED, 0, "not checked yet", 0, null, null);
  }
}
