package org.corral.policy.health;

import org.jspecify.annotations.Nullable;
import org.corral.model.host.Host;
import org.corral.model.host.HostState;
import org.corral.model.snapshot.HostObservation;

/**
 * Judges a host's liveness from what the Monitor observed, and nothing else: a pure function, so
 * the rules are tested as a table and a later policy (the guardian's, with independent probes and
 * fencing) can replace it without touching the Monitor.
 *
 * <ul>
 *   <li>An answer makes a SUSPECT, DOWN or ERROR host UP; the first answer since the controller
 *       started also refreshes an UP host's stale reason.</li>
 *   <li>No answer: a configuration fault (credentials, bad URI), or a host that has never answered
 *       (not since the start, and not before: a host just added), is ERROR, for the administrator,
 *       not a failure to act on; otherwise UP goes
 *       SUSPECT at once, and SUSPECT goes DOWN after {@code downAfter} silent polls in a row (its
 *       VMs are then unreachable); a host in MAINTENANCE or DRAINING that stops answering is
 *       ERROR.</li>
 * </ul>
 */
public final class HostLiveness {
  /** The reason an answering host is UP with. */
  public static final String ANSWERS = "hypervisor answers";

  private final int downAfter;

  /** @param downAfter silent polls in a row before a SUSPECT host is DOWN (at least 1) */
  public HostLiveness(int downAfter) {
    if (downAfter < 1) {
      throw new IllegalArgumentException("downAfter must be at least 1, got " + downAfter);
    }
    this.downAfter = downAfter;
  }

  /**
   * The judgement: a state to move to and why.
   *
   * @param vmsUnreachable true when the host's VMs can no longer be seen (it is DOWN)
   */
  public record Verdict(HostState state, String reason, boolean vmsUnreachable) {}

  /**
   * The state {@code host} should be in after observation {@code o}, or null when it should stay
   * as it is. Hosts the Monitor does not poll (power transitions, OFF, FENCED) are never judged.
   */
  public @Nullable Verdict judge(Host host, HostObservation o) {
    HostState s = host.state();
    if (!s.polledByMonitor()) {
      return null;
    }
    String why = o.lastError();
    if (why == null) {
      boolean firstAnswer = o.answers() == 1 && s == HostState.UP && !ANSWERS.equals(host.stateReason());
      return s == HostState.SUSPECT || s == HostState.ERROR || s == HostState.DOWN || firstAnswer
          ? new Verdict(HostState.UP, ANSWERS, false) : null;
    }
    // A host that has not answered since the controller started is ERROR (for an administrator),
    // unless it had answered before (UP because its hypervisor answered, or SUSPECT, which only an
    // answering host becomes): silence after a controller restart is then judged like any other,
    // or a host that died while the controller was down would never be found failed.
    boolean answeredBefore = (s == HostState.UP && ANSWERS.equals(host.stateReason())) || s == HostState.SUSPECT;
    if (o.configError() || (!o.answered() && !answeredBefore)) {
      return s == HostState.DOWN || (s == HostState.ERROR && why.equals(host.stateReason())) ? null
          : new Verdict(HostState.ERROR, why, false);
    }
    return switch (s) {
      case UP -> new Verdict(HostState.SUSPECT, why, false);
      case SUSPECT -> o.silentPolls() >= downAfter
          ? new Verdict(HostState.DOWN, "no answer for " + o.silentPolls() + " polls: " + why, true) : null;
      case MAINTENANCE, DRAINING -> new Verdict(HostState.ERROR, why, false);
      default -> null;
    };
  }
}
