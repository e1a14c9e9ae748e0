package org.corral.policy.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.corral.policy.service.ServiceEscalation.Action;
import org.corral.policy.service.ServiceEscalation.History;
import org.corral.policy.service.ServiceEscalation.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every step of a failing service's escalation, and flapping, with the defaults (3 checks per step; 5 restarts in 60 s pause 600 s). */
class ServiceEscalationTest {
  private static final Instant NOW = Instant.parse("2026-01-01T01:00:00Z");

  private static List<Instant> ago(String seconds) {
    return seconds == null ? List.of()
        : Arrays.stream(seconds.split(",")).map(s -> NOW.minusSeconds(Long.parseLong(s.strip()))).toList();
  }

  @ParameterizedTest(name = "{0} failures, taken {1}, restartable {2}, restarts {3} s ago -> {4}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      // failures | taken              | restartable | restarts ago    | action
      "0          | NONE               | true        | -               | NOTHING",
      "2          | NONE               | true        | -               | NOTHING",             // below 3
      "3          | NONE               | true        | -               | RESTART_SERVICE",
      "4          | RESTART_SERVICE    | true        | 10              | NOTHING",             // taken; next at 6
      "6          | RESTART_SERVICE    | true        | 10              | RESTART_VM",
      "9          | RESTART_SERVICE    | true        | 10              | RESTART_VM",          // never skips a step
      "8          | RESTART_VM         | true        | 10,40           | NOTHING",
      "9          | RESTART_VM         | true        | 10,40           | RECREATE_ELSEWHERE",
      "12         | RECREATE_ELSEWHERE | true        | 10,40,70        | GIVE_UP",
      "30         | GIVE_UP            | true        | 10,40,70        | NOTHING",             // given up: stays quiet
      // not restartable by itself (a TCP check without a restart command): starts at the VM
      "2          | NONE               | false       | -               | NOTHING",
      "3          | NONE               | false       | -               | RESTART_VM",
      "5          | RESTART_VM         | false       | 10              | NOTHING",
      "6          | RESTART_VM         | false       | 10              | RECREATE_ELSEWHERE",
      "9          | RECREATE_ELSEWHERE | false       | 10,40           | GIVE_UP",
      // flapping: 5 restarts within 60 s stop restarts for 600 s after the last of them
      "3          | NONE               | true        | 50,40,30,20,10  | PAUSED",
      "3          | NONE               | true        | 71,50,30,20,10  | RESTART_SERVICE",     // 61 s from first to fifth: not within the window
      "3          | NONE               | true        | 60,50,30,20,0   | PAUSED",              // exactly 60 s apart counts
      "3          | NONE               | true        | 650,640,630,620,610 | RESTART_SERVICE", // paused until 10 s ago
      "3          | NONE               | true        | 640,630,620,610,600 | RESTART_SERVICE", // pause ends now
      "3          | NONE               | true        | 641,631,621,611,601 | RESTART_SERVICE",
      "3          | NONE               | true        | 639,629,619,609,599 | PAUSED",          // one second left
      "6          | RESTART_SERVICE    | true        | 50,40,30,20,10  | PAUSED",              // holds back the VM restart too
      "12         | RECREATE_ELSEWHERE | true        | 50,40,30,20,10  | GIVE_UP",             // giving up is not a restart
      "2          | NONE               | true        | 50,40,30,20,10  | NOTHING",             // nothing due: not reported paused
      "3          | NONE               | true        | 40,30,20,10     | RESTART_SERVICE",     // four is not flapping
  })
  void decides(int failures, Step taken, boolean restartable, String restartsAgo, Action expected) {
    History h = new History(failures, taken, restartable, ago(restartsAgo));

    assertThat(ServiceEscalation.DEFAULT.next(h, NOW).action()).isEqualTo(expected);
  }

  @Test
  void aPauseSaysUntilWhenAndWhy() {
    History h = new History(3, Step.NONE, true, ago("50,40,30,20,10"));

    ServiceEscalation.Next next = ServiceEscalation.DEFAULT.next(h, NOW);

    assertThat(next.until()).isEqualTo(NOW.minusSeconds(10).plusSeconds(600));
    assertThat(next.step()).isEqualTo(Step.RESTART_SERVICE);
    assertThat(next.reason()).contains("flapping", "5 restarts within 60 s");
  }

  @Test
  void everyActionHasAReasonNamingTheFailures() {
    ServiceEscalation.Next next = ServiceEscalation.DEFAULT.next(new History(6, Step.RESTART_SERVICE, true, List.of()), NOW);

    assertThat(next.reason()).isEqualTo("6 failed checks in a row: restart the VM");
  }

  @Test
  void anotherSettingMovesEveryThreshold() {
    ServiceEscalation one = new ServiceEscalation(1, 5, java.time.Duration.ofMinutes(1), java.time.Duration.ofMinutes(10));

    assertThat(one.next(new History(1, Step.NONE, true, List.of()), NOW).action()).isEqualTo(Action.RESTART_SERVICE);
    assertThat(one.next(new History(2, Step.RESTART_SERVICE, true, List.of()), NOW).action()).isEqualTo(Action.RESTART_VM);
    assertThat(one.next(new History(3, Step.RESTART_VM, true, List.of()), NOW).action()).isEqualTo(Action.RECREATE_ELSEWHERE);
    assertThat(one.next(new History(4, Step.RECREATE_ELSEWHERE, true, List.of()), NOW).action()).isEqualTo(Action.GIVE_UP);
  }

  @Test
  void aWholeStreakWalksEveryStepOnceThenAHealthyCheckStartsOver() {
    ServiceEscalation e = ServiceEscalation.DEFAULT;
    History h = History.healthy(true);
    java.util.List<Action> taken = new java.util.ArrayList<>();
    Instant t = NOW;
    for (int check = 0; check < 14; check++) {
      t = t.plusSeconds(30);
      h = h.checked(true);
      ServiceEscalation.Next next = e.next(h, t);
      if (next.action() != Action.NOTHING) {
        taken.add(next.action());
        h = h.took(next.step(), t, e.flapWindow());
      }
    }
    assertThat(taken).containsExactly(Action.RESTART_SERVICE, Action.RESTART_VM, Action.RECREATE_ELSEWHERE, Action.GIVE_UP);
    assertThat(h.restarts()).as("only restarts within the flap window are kept").hasSize(0);

    h = h.checked(false);
    assertThat(h.failures()).isZero();
    assertThat(h.taken()).isEqualTo(Step.NONE);
  }

  @Test
  void aServiceThatFailsAtOnceAfterEachRestartIsPausedOnItsFifthRestartInAMinute() {
    ServiceEscalation e = new ServiceEscalation(1, 5, java.time.Duration.ofMinutes(1), java.time.Duration.ofMinutes(10));
    History h = History.healthy(true);
    Instant t = NOW;
    int restarts = 0;
    for (int i = 0; i < 6; i++) {
      t = t.plusSeconds(10);
      h = h.checked(true);
      ServiceEscalation.Next next = e.next(h, t);
      if (next.action() == Action.PAUSED) {
        break;
      }
      assertThat(next.action()).isEqualTo(Action.RESTART_SERVICE);
      restarts++;
      h = h.took(next.step(), t, e.flapWindow()).checked(false); // healthy just after the restart
    }
    assertThat(restarts).isEqualTo(5);
    assertThat(e.next(h.checked(true), t.minusSeconds(10).plusSeconds(599)).action()).isEqualTo(Action.PAUSED);
    assertThat(e.next(h.checked(true), t.minusSeconds(10).plusSeconds(600)).action()).isEqualTo(Action.RESTART_SERVICE);
  }
}
