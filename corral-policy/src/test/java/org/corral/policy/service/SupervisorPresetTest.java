package org.corral.policy.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.corral.policy.service.ServiceEscalation.Action;
import org.corral.policy.service.ServiceEscalation.History;
import org.corral.policy.service.ServiceEscalation.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Zaragoza study's supervisor preset on explicit instants: poll 30 s; a start within 8 tries
 * in 2 min; 5 starts or restarts in 1 min pause 10 min; at most 5 pauses in 2 h.
 */
class SupervisorPresetTest {
  private static final Instant NOW = Instant.parse("2026-01-01T03:00:00Z");
  private static final SupervisorPreset Z = SupervisorPreset.ZARAGOZA;

  private static List<Instant> ago(String seconds) {
    return seconds == null ? List.of() : Arrays.stream(seconds.split(",")).map(s -> NOW.minusSeconds(Long.parseLong(s.strip()))).toList();
  }

  @Test
  void theStudysParameters() {
    assertThat(Z.poll()).isEqualTo(Duration.ofSeconds(30));
    assertThat(Z.startTries()).isEqualTo(8);
    assertThat(Z.startWithin()).isEqualTo(Duration.ofMinutes(2));
    assertThat(Z.startInterval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(Z.escalation().flapRestarts()).isEqualTo(5);
    assertThat(Z.escalation().flapWindow()).isEqualTo(Duration.ofMinutes(1));
    assertThat(Z.escalation().flapPause()).isEqualTo(Duration.ofMinutes(10));
    assertThat(Z.maxPauses()).isEqualTo(5);
    assertThat(Z.pauseWindow()).isEqualTo(Duration.ofHours(2));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(nullValues = "-", value = {"zaragoza, zaragoza", "study, zaragoza", "Zaragoza, zaragoza", "monit, -", "'', -"})
  void presetsByName(String name, String expected) {
    assertThat(SupervisorPreset.named(name).map(SupervisorPreset::name).orElse(null)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} failed tries, first at {1} s, last failed at {2} s -> retry at {3} s")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      // failed tries | first try | this failure | next try
      "1            | 0         | 0            | 15",
      "2            | 0         | 15           | 30",
      "7            | 0         | 90           | 105",
      "7            | 0         | 105          | 120",   // the 8th try at exactly 2 min: still within
      "8            | 0         | 105          | -",     // 8 tries made
      "3            | 0         | 110          | -",     // the next would be after 2 min
      "1            | 0         | 200          | -",     // a try that hung past the window
  })
  void aStartIsTriedEvery15sUpTo8TimesWithin2Minutes(int failed, long first, long at, Long next) {
    Instant t0 = NOW;
    assertThat(Z.retryStart(failed, t0, t0.plusSeconds(at)).orElse(null)).isEqualTo(next == null ? null : t0.plusSeconds(next));
  }

  @ParameterizedTest(name = "failures {0}, taken {1}, restarts {2} s ago, pauses {3} s ago -> {4}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      // failures | taken           | restarts ago     | pauses ago                     | action
      "1          | NONE            | -                | -                              | RESTART_SERVICE",  // the first failed poll restarts
      "0          | NONE            | -                | -                              | NOTHING",
      "2          | RESTART_SERVICE | 30               | -                              | RESTART_VM",       // failing again right after its restart
      "1          | NONE            | 50,40,30,20,10   | -                              | PAUSED",           // 5 in a minute
      "1          | NONE            | 50,40,30,20,10   | 3000,2000,1000,900             | PAUSED",           // the 5th pause in 2 h
      "1          | NONE            | 50,40,30,20,10   | 5000,4000,3000,2000,1000       | GIVE_UP",          // would be the 6th
      "1          | NONE            | 50,40,30,20,10   | 7300,4000,3000,2000,1000       | PAUSED",           // one is over 2 h old
      "1          | NONE            | 50,40,30,20,10   | 10,4000,3000,2000,1000         | PAUSED",           // this pause, already recorded
      "1          | NONE            | 40,30,20,10      | 5000,4000,3000,2000,1000       | RESTART_SERVICE",  // not flapping: pauses do not matter
  })
  void flappingPausesAtMostFiveTimesInTwoHoursThenGivesUp(int failures, Step taken, String restarts, String pauses, Action expected) {
    History h = new History(failures, taken, true, ago(restarts));
    assertThat(Z.next(h, ago(pauses), NOW).action()).isEqualTo(expected);
  }

  @Test
  void aServiceThatNeverStartsPausesAfterFiveTriesInAMinute() {
    // The first failed poll at NOW; each try fails; tries every 15 s count as restarts.
    List<Instant> restarts = new ArrayList<>();
    Instant t = NOW;
    int tries = 0;
    ServiceEscalation.Next n = Z.startAttempt(restarts, List.of(), t);
    while (n.action() == Action.RESTART_SERVICE) {
      restarts.add(t);
      tries++;
      t = Z.retryStart(tries, NOW, t).orElseThrow();
      n = Z.startAttempt(restarts, List.of(), t);
    }
    assertThat(tries).as("tries at 0, 15, 30, 45, 60 s").isEqualTo(5);
    assertThat(n.action()).isEqualTo(Action.PAUSED);
    assertThat(n.until()).isEqualTo(NOW.plusSeconds(60).plus(Duration.ofMinutes(10)));
    assertThat(Z.pauseBegan(n)).isEqualTo(NOW.plusSeconds(60));
  }

  @Test
  void aServiceThatFlapsEveryPauseGivesUpOnTheSixthWithinTwoHours() {
    List<Instant> pauses = new ArrayList<>();
    Instant t = NOW;
    List<Action> outcomes = new ArrayList<>();
    for (int round = 0; round < 6; round++) {
      // Five restarts 12 s apart, then the sixth attempt finds it flapping.
      List<Instant> restarts = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        restarts.add(t);
        t = t.plusSeconds(12);
      }
      ServiceEscalation.Next n = Z.startAttempt(restarts, pauses, t);
      outcomes.add(n.action());
      if (n.action() == Action.PAUSED) {
        pauses.add(Z.pauseBegan(n));
        t = n.until();
      }
    }
    assertThat(outcomes).containsExactly(Action.PAUSED, Action.PAUSED, Action.PAUSED, Action.PAUSED, Action.PAUSED, Action.GIVE_UP);
    assertThat(Duration.between(NOW, t)).as("all within two hours").isLessThan(Duration.ofHours(2));
  }
}
