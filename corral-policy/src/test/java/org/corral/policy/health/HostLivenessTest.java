package org.corral.policy.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.corral.model.host.Host;
import org.corral.model.host.HostCapacity;
import org.corral.model.host.HostState;
import org.corral.model.host.PowerModel;
import org.corral.model.snapshot.HostObservation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The liveness rules as a table: host state × what the last poll saw → verdict. */
class HostLivenessTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
  /** SUSPECT at the first missed beat, DOWN at the third (the table below). */
  private static final HostLiveness LIVENESS = new HostLiveness(1, 3);
  /** The Guardian's defaults: SUSPECT after 3 missed beats, DOWN after 5. */
  private static final HostLiveness DEFAULTS = new HostLiveness(3, 5);

  private static Host host(HostState state, String reason) {
    return new Host("n1", "sim://lab/n1", new HostCapacity(8, 2600, 32768), Map.of(), null, PowerModel.linear(100, 250),
        state, reason, T, 1);
  }

  /** answered: polls answered so far; silent: polls in a row unanswered (the last poll failed when > 0). */
  private static HostObservation observed(int answered, int silent, boolean configError) {
    HostObservation o = HostObservation.none(12);
    for (int i = 0; i < answered; i++) {
      o = o.answered(T, o.cpu(), o.memory(), o.metrics(), java.util.Map.of());
    }
    for (int i = 0; i < silent; i++) {
      o = o.silent(T, "connection refused", configError);
    }
    return o;
  }

  @ParameterizedTest(name = "{0} ({1}) after {2} answers, {3} silent, config error {4} -> {5}")
  @CsvSource(nullValues = "-", value = {
      // state,     reason,              answers, silent, config, verdict,     vmsUnreachable
      "UP,          waiting,             1,       0,      false,  UP,          false",
      "UP,          hypervisor answers,  1,       0,      false,  -,           false",
      "UP,          waiting,             2,       0,      false,  -,           false",
      "SUSPECT,     x,                   3,       0,      false,  UP,          false",
      "DOWN,        x,                   3,       0,      false,  UP,          false",
      "ERROR,       x,                   3,       0,      false,  UP,          false",
      "MAINTENANCE, x,                   3,       0,      false,  -,           false",
      "UP,          x,                   1,       1,      false,  SUSPECT,     false",
      "SUSPECT,     x,                   1,       2,      false,  -,           false",
      "SUSPECT,     x,                   1,       3,      false,  DOWN,        true",
      "DOWN,        x,                   1,       9,      false,  -,           false",
      "UP,          x,                   0,       1,      false,  ERROR,       false",  // never answered: just added
      "UP,          hypervisor answers,  0,       1,      false,  SUSPECT,     false",  // answered before a controller restart
      "SUSPECT,     x,                   0,       3,      false,  DOWN,        true",
      "MAINTENANCE, x,                   0,       1,      false,  ERROR,       false",
      "UP,          x,                   5,       1,      true,   ERROR,       false",
      "DOWN,        x,                   5,       1,      true,   -,           false",
      "MAINTENANCE, x,                   5,       1,      false,  ERROR,       false",
      "DRAINING,    x,                   5,       1,      false,  ERROR,       false",
      "OFF,         x,                   0,       1,      false,  -,           false",
      "POWERING_ON, x,                   0,       1,      false,  -,           false",
      "FENCED,      x,                   5,       0,      false,  -,           false",
  })
  void judgesFromObservationsAlone(HostState state, String reason, int answers, int silent, boolean config, HostState verdict,
      boolean vmsUnreachable) {
    HostLiveness.Verdict v = LIVENESS.judge(host(state, reason), observed(answers, silent, config));
    if (verdict == null) {
      assertThat(v).as("no change").isNull();
      return;
    }
    assertThat(v).isNotNull();
    assertThat(v.state()).isEqualTo(verdict);
    assertThat(v.vmsUnreachable()).isEqualTo(vmsUnreachable);
    assertThat(v.reason()).isEqualTo(switch (verdict) {
      case UP -> HostLiveness.ANSWERS;
      case DOWN -> "no answer for " + silent + " beats: connection refused";
      default -> "connection refused";
    });
  }

  @ParameterizedTest(name = "{0} after {1} missed beats -> {2}")
  @CsvSource(nullValues = "-", value = {
      "UP,      1, -",
      "UP,      2, -",
      "UP,      3, SUSPECT",
      "UP,      4, SUSPECT",
      "UP,      5, DOWN",      // a host judged only now (e.g. a beat answered late) goes straight to DOWN
      "SUSPECT, 4, -",
      "SUSPECT, 5, DOWN",
      "SUSPECT, 7, DOWN",
      "DOWN,    9, -",
  })
  void suspectAfterThreeMissedBeatsDownAfterFive(HostState state, int missed, HostState verdict) {
    HostLiveness.Verdict v = DEFAULTS.judge(host(state, HostLiveness.ANSWERS), observed(1, missed, false));
    assertThat(v == null ? null : v.state()).isEqualTo(verdict);
  }

  @ParameterizedTest
  @CsvSource({"0, 3", "3, 2"})
  void refusesBeatsThatCannotBeMet(int suspectAfter, int downAfter) {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new HostLiveness(suspectAfter, downAfter))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("suspectAfter");
  }

  @ParameterizedTest
  @CsvSource({"ERROR, connection refused", "ERROR, another reason"})
  void anErrorIsRewrittenOnlyWhenItsReasonChanges(HostState state, String reason) {
    HostLiveness.Verdict v = LIVENESS.judge(host(state, reason), observed(0, 1, false));
    assertThat(v == null).isEqualTo(reason.equals("connection refused"));
  }
}
