package org.corral.policy.recovery;

import org.corral.model.host.HostState;

/**
 * The fencing decision table: host state × power controller's answer × storage lease ×
 * administrator's confirmation × soft fencing → what to do. A VM whose previous instance might still write its
 * disk is never started again, so "restart elsewhere" needs proof that the host is off: fencing
 * confirmed by the power controller, an expired lease, or an administrator's word.
 *
 * <pre>
 *  state      confirmed  soft       BMC                      lease     → decision
 *  FENCED     any        any        any                      any       → RESTART_ELSEWHERE (power confirmed off)
 *  FENCING    any        any        any                      any       → WAIT (fencing in progress)
 *  DOWN       yes        any        any                      any       → RESTART_ELSEWHERE (confirmed by an administrator)
 *  DOWN       no         RUNNING    any                      any       → WAIT (its hypervisor is being restarted)
 *  DOWN       no         AVAILABLE  OFF                      any       → FENCE (nothing to restart: confirm it is off)
 *  DOWN       no         AVAILABLE  any but OFF              any       → SOFT_FENCE (restart its hypervisor daemon first)
 *  DOWN       no         other      NOT_ASKED                any       → WAIT (its power controller is being asked)
 *  DOWN       no         other      ON, OFF                  any       → FENCE (cut the power and confirm it is off)
 *  DOWN       no         other      UNREACHABLE, NO_POWER_.. expired   → RESTART_ELSEWHERE (lease expired)
 *  DOWN       no         other      UNREACHABLE, NO_POWER_.. held      → WAIT (cannot prove it is off)
 *  any other state (UP, SUSPECT, OFF, ERROR, ...)                       → NOTHING (not a failed host)
 * </pre>
 *
 * An OFF host was powered off on purpose (by the optimizer or a user): it is never a failed host.
 * A host in ERROR has a configuration fault or has not answered since the controller started:
 * that is for an administrator, not a failure to act on.
 *
 * <p>Soft fencing (restarting the hypervisor daemon over SSH) comes before everything but an
 * administrator's word and a power controller that reads OFF: a host whose daemon died while its
 * VMs run comes back whole, with no power cut and no restart elsewhere. It is tried once per
 * failure ("other" is NOT_CONFIGURED or TRIED); if the host does not answer again, the table goes
 * on as without it.
 */
public final class Fencing {
  private Fencing() {}

  /** What to do about a host. */
  public enum Decision { NOTHING, SOFT_FENCE, FENCE, WAIT, RESTART_ELSEWHERE }

  /** A decision and why, in words for the journal. */
  public record Verdict(Decision decision, String reason) {}

  /**
   * True for a host whose power controller's answer matters (it stopped answering and is not yet
   * proven off): the Guardian asks its power status each cycle.
   */
  public static boolean asksPower(HostState state) {
    return state == HostState.DOWN;
  }

  /**
   * Null when an administrator may confirm that a host in {@code state} is off; else why not.
   * Only a DOWN host needs it: a host that answers is not off, and a fenced one is proven off.
   */
  public static @org.jspecify.annotations.Nullable String confirmable(HostState state) {
    return switch (state) {
      case DOWN -> null;
      case FENCING -> "it is being fenced now; wait for the outcome";
      case FENCED, OFF -> "it is already known to be off";
      default -> "it is " + state + ", not DOWN: only a host that stopped answering can be confirmed off";
    };
  }

  public static Verdict decide(HostState state, HostFailure f) {
    return switch (state) {
      case FENCED -> new Verdict(Decision.RESTART_ELSEWHERE, "power confirmed off");
      case FENCING -> new Verdict(Decision.WAIT, "fencing in progress");
      case DOWN -> down(f);
      case UP, SUSPECT, MAINTENANCE, DRAINING, POWERING_OFF, OFF, POWERING_ON, ERROR ->
          new Verdict(Decision.NOTHING, "host is " + state + ", not failed");
    };
  }

  private static Verdict down(HostFailure f) {
    if (f.confirmedOff()) {
      return new Verdict(Decision.RESTART_ELSEWHERE, "an administrator confirmed it is off");
    }
    if (f.soft() == SoftFence.RUNNING) {
      return new Verdict(Decision.WAIT, "restarting its hypervisor (soft fencing); waiting for it to answer");
    }
    if (f.soft() == SoftFence.AVAILABLE && f.bmc() != BmcAnswer.OFF) {
      return new Verdict(Decision.SOFT_FENCE, "restart its hypervisor first (soft fencing): if it answers again, its VMs"
          + " never stopped and nothing is fenced");
    }
    return switch (f.bmc()) {
      case NOT_ASKED -> new Verdict(Decision.WAIT, "asking its power controller whether it answers");
      case ON, OFF -> new Verdict(Decision.FENCE, f.bmc() == BmcAnswer.ON
          ? "power still reads on: cut it before restarting its VMs elsewhere" : "cut its power and confirm it is off");
      case UNREACHABLE, NO_POWER_CONTROL -> {
        String why = f.bmc() == BmcAnswer.UNREACHABLE ? "its power controller does not answer" : "it has no power control";
        yield f.leaseExpired()
            ? new Verdict(Decision.RESTART_ELSEWHERE, why + ", and the storage leases of its VMs expired")
            : new Verdict(Decision.WAIT, why + ", so it cannot be proven off: its VMs restart once their storage leases"
                + " expire or an administrator runs `corral host confirm-off`");
      }
    };
  }
}
