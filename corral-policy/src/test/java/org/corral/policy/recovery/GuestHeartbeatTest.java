package org.corral.policy.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.corral.model.snapshot.AgentObservation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** When a guest agent's silence means the guest hangs: pings every 10 s, 3 missed (a 30 s window). */
class GuestHeartbeatTest {
  private static final Instant BOOT = Instant.parse("2026-01-01T00:00:00Z");
  private static final GuestHeartbeat EVERY_10S = new GuestHeartbeat(Duration.ofSeconds(10), 3);

  @ParameterizedTest(name = "last answer {0}s after boot, {1} missed, now {2}s -> hung {3}")
  @CsvSource(nullValues = "-", value = {
      "-,  0, 100, false", // never answered (no agent, or not up yet): never judged
      "-,  9, 100, false",
      "10, 0, 100, false", // answered, nothing missed since
      "10, 2, 100, false", // two missed: not yet
      "10, 3, 39,  false", // three missed but not 30 s yet
      "10, 3, 40,  true",
      "10, 7, 300, true"})
  void silenceAfterAnAnswerForTheWindowIsAHang(Long lastAnswer, int missed, long now, boolean hung) {
    AgentObservation o = new AgentObservation(BOOT, lastAnswer == null ? null : BOOT.plusSeconds(lastAnswer), missed,
        missed > 0 ? "TIMEOUT: no answer" : null, BOOT.plusSeconds(now));

    assertThat(EVERY_10S.silence(o, BOOT.plusSeconds(now)) != null).isEqualTo(hung);
  }

  @Test
  void theReasonSaysForHowLongAndWhy() {
    AgentObservation o = AgentObservation.watching(BOOT).answered(BOOT.plusSeconds(10))
        .missed(BOOT.plusSeconds(20), "a").missed(BOOT.plusSeconds(30), "b").missed(BOOT.plusSeconds(40), "no answer within 10s");

    assertThat(EVERY_10S.silence(o, BOOT.plusSeconds(40))).isEqualTo("guest agent silent for 30 s (3 pings unanswered since its "
        + "last answer at 2026-01-01T00:00:10Z; the last: no answer within 10s)");
    assertThat(GuestHeartbeat.OFF.silence(o, BOOT.plusSeconds(400))).as("off: nothing is judged").isNull();
    assertThat(EVERY_10S.silence(null, BOOT.plusSeconds(400))).as("not watched").isNull();
  }
}
