package org.corral.model.snapshot;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What the guest-agent heartbeats observed of one VM since it last started, with no judgement in
 * it (whether it hangs is judged by a policy).
 *
 * @param since      the start of the VM's current run (its RUNNING state's instant): what was
 *                   observed of an earlier run does not count
 * @param lastAnswer when its guest agent last answered a ping in this run, or null if never (a
 *                   guest with no agent never answers, and is never judged silent)
 * @param missed     pings in a row without an answer since the last answer
 * @param lastError  why the last ping failed, or null when it answered
 * @param observedAt when the last ping's outcome came
 */
public record AgentObservation(Instant since, @Nullable Instant lastAnswer, int missed, @Nullable String lastError, Instant observedAt) {
  /** Nothing asked yet in the run that started at {@code since}. */
  public static AgentObservation watching(Instant since) {
    return new AgentObservation(since, null, 0, null, since);
  }

  /** After an answer at {@code at}. */
  public AgentObservation answered(Instant at) {
    return new AgentObservation(since, at, 0, null, at);
  }

  /** After a ping that got no answer, with why. */
  public AgentObservation missed(Instant at, String error) {
    return new AgentObservation(since, lastAnswer, missed + 1, error, at);
  }
}
