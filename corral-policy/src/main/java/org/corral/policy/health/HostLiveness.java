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
 *       not a failure to act on; otherwise an UP host goes SUSPECT after {@code suspectAfter}
 *       missed beats in a row, and DOWN after {@code downAfter} (its VMs are then unreachable); a
 *       host in MAINTENANCE or DRAINING that stops answering is ERROR.</li>
 * </ul>
 * A beat is one period of the Monitor's liveness check ({@code guardian.beat}); the observation's
 * {@link HostObservation#silentPolls()} counts the beats in a row with no answer.
 */
public final class HostLiveness {
  /** The reason an answering host is UP with. */
  public static final String ANSWERS = "hypervisor answers";

  private final int suspectAfter;
  private final int downAfter;

  /**
   * @param suspectAfter missed beats in a row before an UP host is SUSPECT (at least 1)
   * @param downAfter    missed beats in a row before it is DOWN (at least {@code suspectAfter})
   */
  public HostLiveness(int suspectAfter, int downAfter) {
    if (suspectAfter < 1 || downAfter < suspectAfter) {
      throw new IllegalArgumentException("need 1 <= suspectAfter <= downAfter, got " + suspectAfter + " and " + downAfter);
    }
    this.suspectAfter = suspectAfter;
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
    int missed = o.silentPolls();
    return switch (s) {
      case UP, SUSPECT -> missed >= downAfter ? new Verdict(HostState.DOWN, "no answer for " + missed + " beats: " + why, true)
          : s == HostState.UP && missed >= suspectAfter ? new Verdict(HostState.SUSPECT, why, false) : null;
      case MAINTENANCE, DRAINING -> new Verdict(HostState.ERROR, why, false);
      default -> null;
    };
  }
}
