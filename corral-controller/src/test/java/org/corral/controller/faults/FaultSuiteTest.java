package org.corral.controller.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.corral.controller.testing.LabHarness;
import org.junit.jupiter.api.Test;

/**
 * The deterministic fault-injection suite: {@value #DEFAULT_SCENARIOS} seeded scenarios (see
 * {@link FaultScenario}) on virtual time. A failing seed is printed with its faults and replays
 * exactly: {@code ./mvnw -o verify -pl corral-controller -am -Dtest=FaultSuiteTest -Dcorral.faults.seed=N}.
 * {@code -Dcorral.faults.scenarios=N} runs more (bench/faults runs 10,000);
 * {@code -Dcorral.faults.crashOnly=true} runs bench/faults' timing scenarios (one host crash each);
 * {@code -Dcorral.faults.spares=node05} makes those hosts reserved spares (the recoveries go there
 * first, and the VMs return off them once nothing fails: at least one scenario must see that).
 */
class FaultSuiteTest {
  static final int DEFAULT_SCENARIOS = 1000;

  /** The suite's settings (every read a full one, each second; the default beats), or bench/faults' preset named by {@code -Dcorral.faults.preset}. */
  private static org.corral.controller.ControllerSettings settings() {
    String preset = System.getProperty("corral.faults.preset");
    org.corral.controller.ControllerSettings s = preset == null ? LabHarness.fastSettings() : FaultsBenchmark.settings(preset);
    return SPARES.isEmpty() ? s : s.withGuardian(s.guardian().withSpares(SPARES));
  }

  private static final java.util.Set<String> SPARES = System.getProperty("corral.faults.spares", "").isBlank() ? java.util.Set.of()
      : java.util.Set.of(System.getProperty("corral.faults.spares").split(","));

  @Test
  void everySeededScenarioKeepsTheInvariants() {
    String one = System.getProperty("corral.faults.seed");
    long first = one != null ? Long.parseLong(one) : Long.getLong("corral.faults.first", 1);
    int count = one != null ? 1 : Integer.getInteger("corral.faults.scenarios", DEFAULT_SCENARIOS);
    List<String> failures = new ArrayList<>();
    int spareReturns = 0;
    int leftOnSpares = 0;
    List<Long> sparesInUse = new ArrayList<>();
    try (Quiet q = Quiet.logs()) {
      for (long seed = first; seed < first + count; seed++) {
        FaultScenario.Result r = new FaultScenario(seed, settings(), Boolean.getBoolean("corral.faults.crashOnly")).run();
        spareReturns += r.spareReturns();
        leftOnSpares += r.leftOnSpares();
        if (r.leftOnSpares() > 0) {
          sparesInUse.add(seed);
        }
        if (!r.ok()) {
          failures.add("seed " + seed + ": " + r.violation() + "\n  faults:\n    " + String.join("\n    ", r.log())
              + "\n  replay: -Dtest=FaultSuiteTest -Dcorral.faults.seed=" + seed);
        }
      }
    }
    assertThat(failures).as("scenarios that broke an invariant (of " + count + ")").isEmpty();
    if (!SPARES.isEmpty()) {
      System.out.println("faults with spares " + SPARES + ": " + count + " scenarios, " + spareReturns + " VMs returned off a spare; "
          + sparesInUse.size() + " scenarios ended with " + leftOnSpares + " VMs still on a spare" + (sparesInUse.isEmpty() ? ""
          : " (seeds " + sparesInUse.subList(0, Math.min(10, sparesInUse.size())) + ")"));
      if (count >= 100) {
        assertThat(spareReturns).as("VMs returned off a spare in " + count + " scenarios").isPositive();
      }
    }
  }
}
