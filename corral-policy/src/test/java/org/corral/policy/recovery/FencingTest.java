package org.corral.policy.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import org.corral.model.host.HostState;
import org.corral.policy.recovery.Fencing.Decision;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The fencing decision table: host state × power controller's answer × lease × confirmation → decision. */
class FencingTest {
  @ParameterizedTest(name = "{0}, BMC {1}, lease expired {2}, confirmed {3} -> {4}")
  @CsvSource({
      // state,  bmc,              lease, confirmed, decision
      "FENCED,  NOT_ASKED,         false, false,     RESTART_ELSEWHERE",
      "FENCED,  UNREACHABLE,       false, false,     RESTART_ELSEWHERE",
      "FENCED,  ON,                true,  true,      RESTART_ELSEWHERE",
      "FENCING, NOT_ASKED,         false, false,     WAIT",
      "FENCING, UNREACHABLE,       true,  true,      WAIT",
      "DOWN,    NOT_ASKED,         false, false,     WAIT",
      "DOWN,    NOT_ASKED,         true,  false,     WAIT",
      "DOWN,    ON,                false, false,     FENCE",
      "DOWN,    OFF,               false, false,     FENCE",
      "DOWN,    ON,                true,  false,     FENCE",
      "DOWN,    UNREACHABLE,       false, false,     WAIT",
      "DOWN,    NO_POWER_CONTROL,  false, false,     WAIT",
      "DOWN,    UNREACHABLE,       true,  false,     RESTART_ELSEWHERE",
      "DOWN,    NO_POWER_CONTROL,  true,  false,     RESTART_ELSEWHERE",
      "DOWN,    UNREACHABLE,       false, true,      RESTART_ELSEWHERE",
      "DOWN,    NO_POWER_CONTROL,  false, true,      RESTART_ELSEWHERE",
      "DOWN,    ON,                false, true,      RESTART_ELSEWHERE",
      "DOWN,    NOT_ASKED,         false, true,      RESTART_ELSEWHERE",
  })
  void decidesFromTheTable(HostState state, BmcAnswer bmc, boolean lease, boolean confirmed, Decision expected) {
    Fencing.Verdict v = Fencing.decide(state, new HostFailure(bmc, lease, confirmed));

    assertThat(v.decision()).as("%s with BMC %s, lease expired %s, confirmed %s: %s", state, bmc, lease, confirmed, v.reason())
        .isEqualTo(expected);
    assertThat(v.reason()).isNotBlank();
  }

  @ParameterizedTest(name = "DOWN, BMC {0}, lease expired {1}, confirmed {2}, soft fencing {3} -> {4}")
  @CsvSource({
      // bmc,              lease, confirmed, soft,           decision
      "NOT_ASKED,          false, false,     AVAILABLE,      SOFT_FENCE",
      "ON,                 false, false,     AVAILABLE,      SOFT_FENCE",
      "UNREACHABLE,        false, false,     AVAILABLE,      SOFT_FENCE",
      "NO_POWER_CONTROL,   false, false,     AVAILABLE,      SOFT_FENCE",
      "UNREACHABLE,        true,  false,     AVAILABLE,      SOFT_FENCE",
      "OFF,                false, false,     AVAILABLE,      FENCE",
      "ON,                 false, true,      AVAILABLE,      RESTART_ELSEWHERE",
      "NOT_ASKED,          false, false,     RUNNING,        WAIT",
      "ON,                 false, false,     RUNNING,        WAIT",
      "OFF,                false, false,     RUNNING,        WAIT",
      "UNREACHABLE,        true,  false,     RUNNING,        WAIT",
      "OFF,                false, true,      RUNNING,        RESTART_ELSEWHERE",
      "NOT_ASKED,          false, false,     TRIED,          WAIT",
      "ON,                 false, false,     TRIED,          FENCE",
      "OFF,                false, false,     TRIED,          FENCE",
      "UNREACHABLE,        false, false,     TRIED,          WAIT",
      "UNREACHABLE,        true,  false,     TRIED,          RESTART_ELSEWHERE",
      "NO_POWER_CONTROL,   false, true,      TRIED,          RESTART_ELSEWHERE",
      "ON,                 false, false,     NOT_CONFIGURED, FENCE",
  })
  void softFencingComesFirstOnceThenTheTableGoesOnAsWithoutIt(BmcAnswer bmc, boolean lease, boolean confirmed, SoftFence soft,
      Decision expected) {
    Fencing.Verdict v = Fencing.decide(HostState.DOWN, new HostFailure(bmc, lease, confirmed, soft));

    assertThat(v.decision()).as("BMC %s, lease expired %s, confirmed %s, soft %s: %s", bmc, lease, confirmed, soft, v.reason())
        .isEqualTo(expected);
    assertThat(v.reason()).isNotBlank();
  }

  @ParameterizedTest(name = "{0} is not a failed host, whatever else is known")
  @EnumSource(value = HostState.class, names = {"UP", "SUSPECT", "MAINTENANCE", "DRAINING", "POWERING_OFF", "OFF", "POWERING_ON", "ERROR"})
  void hostsThatAreNotDownAreLeftAlone(HostState state) {
    for (BmcAnswer bmc : BmcAnswer.values()) {
      for (boolean lease : new boolean[] {false, true}) {
        for (boolean confirmed : new boolean[] {false, true}) {
          for (SoftFence soft : SoftFence.values()) {
            assertThat(Fencing.decide(state, new HostFailure(bmc, lease, confirmed, soft)).decision())
                .as("%s with BMC %s, lease expired %s, confirmed %s, soft %s", state, bmc, lease, confirmed, soft)
                .isEqualTo(Decision.NOTHING);
          }
        }
      }
    }
  }
}
