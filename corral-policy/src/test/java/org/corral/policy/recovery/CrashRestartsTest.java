package org.corral.policy.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every escalation step of a VM that keeps stopping on its own: in place, elsewhere, wait (backoff), give up. */
class CrashRestartsTest {
  private static final Instant NOW = Instant.parse("2026-01-01T01:00:00Z");

  @ParameterizedTest(name = "restarts {0}s ago -> {1}")
  @CsvSource(delimiter = '|', value = {
      "           | IN_PLACE",
      "700        | IN_PLACE",   // older than the 10 min window
      "5          | WAIT",       // 10 s backoff after the first
      "10         | ELSEWHERE",
      "30,15      | WAIT",       // 20 s after the second
      "40,20      | ELSEWHERE",
      "60,40,20   | GIVE_UP",    // three within the window
      "900,40,20  | ELSEWHERE",  // one of the three is out of the window
  })
  void escalates(String agoSeconds, CrashRestarts.Step expected) {
    List<Instant> restarts = agoSeconds == null ? List.of()
        : Arrays.stream(agoSeconds.split(",")).map(s -> NOW.minusSeconds(Long.parseLong(s.strip()))).toList();

    assertThat(CrashRestarts.DEFAULT.next(restarts, NOW).step()).as("restarts " + agoSeconds + " s ago").isEqualTo(expected);
  }

  @ParameterizedTest(name = "restarts {0}s ago, refused {1} -> {2}")
  @CsvSource(delimiter = '|', value = {
      "70,50,45     | 70,50,45  | ELSEWHERE", // none ran it: the VM did not stop on its own again
      "70,50,45     | 70        | ELSEWHERE", // refused once, and ran twice more: not three yet
      "100,60,40,20 | 100       | GIVE_UP",   // three that ran
      "75,45,25     | 75,45,25  | WAIT",      // refused ones still space the tries: 40 s after the third
      "330,310,290,250,170 | 330,310,290,250,170 | ELSEWHERE", // refused five times: 160 s after the fifth, tried again
  })
  void refusedRestartsCountForTheBackoffButNotTowardsGivingUp(String agoSeconds, String refusedAgo, CrashRestarts.Step expected) {
    java.util.function.Function<String, List<Instant>> at = s -> Arrays.stream(s.split(","))
        .map(x -> NOW.minusSeconds(Long.parseLong(x.strip()))).toList();

    assertThat(CrashRestarts.DEFAULT.next(at.apply(agoSeconds), at.apply(refusedAgo), NOW).step())
        .as("restarts %s s ago, refused %s", agoSeconds, refusedAgo).isEqualTo(expected);
  }
}
