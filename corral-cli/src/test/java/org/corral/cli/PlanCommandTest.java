package org.corral.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code corral plan} as a person reads it, against canned answers of the API. */
class PlanCommandTest {
  private final FakeCorral api = FakeCorral.start();

  @AfterEach
  void stop() {
    api.close();
  }

  private static String plan(boolean current) {
    return """
        {"id": "1a2b3c4d", "at": "2026-01-01T00:00:00Z", "current": %s, "plans": [
          {"origin": "OPTIMIZER", "actions": [{"key": "migrate/web1/4", "action": "migrate web1 from node2 to node1",
            "cause": {"origin": "OPTIMIZER", "reason": "node2 empties and can be switched off"}}], "notes": ["node3: stays on"]},
          {"origin": "GUARDIAN", "actions": [], "notes": []}]}""".formatted(current);
  }

  @Test
  void showsEachLoopsActionsWithTheirReasonsAndNotes() {
    api.on("GET", "/plan", 200, plan(true));
    Run r = Run.corral(api, "plan");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("plan 1a2b3c4d at ").contains("`corral plan apply 1a2b3c4d`")
        .contains("OPTIMIZER: 1 action").contains("migrate/web1/4").contains("node2 empties and can be switched off")
        .contains("note: node3: stays on").contains("GUARDIAN: nothing to do")
        .doesNotContain("too busy");
  }

  @Test
  void saysSoWhenThePlanShownIsTheLastOneAndNotACurrentOne() {
    api.on("GET", "/plan", 200, plan(false));
    Run r = Run.corral(api, "plan");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("note: the controller was too busy to plan again within a second: this is its last plan, made at ")
        .contains("ask again for a current one");
  }
}
