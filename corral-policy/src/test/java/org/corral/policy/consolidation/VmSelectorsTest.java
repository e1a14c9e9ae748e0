package org.corral.policy.consolidation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.corral.model.InvalidInputException;
import org.junit.jupiter.api.Test;

/** Each selection policy against cases computed by hand (reference §5.3), fallbacks included. */
class VmSelectorsTest {
  private static VmLoad vm(String name, int vcpus, long memory, double utilisation, double... history) {
    return new VmLoad(name, vcpus, memory, utilisation, history);
  }

  private static String pick(VmSelector s, List<VmLoad> candidates) {
    return s.select(candidates, 42).map(VmLoad::vm).orElse("-");
  }

  @Test
  void minimumMigrationTimeTakesTheLeastMemoryFirstInTies() {
    assertThat(pick(new MinimumMigrationTime(), List.of(vm("a", 1, 2048, 0.9), vm("b", 1, 1024, 0.1), vm("c", 1, 1024, 0.5))))
        .isEqualTo("b");
    assertThat(pick(new MinimumMigrationTime(), List.of())).isEqualTo("-");
  }

  @Test
  void minimumUtilisationTakesTheQuietestFirstInTies() {
    assertThat(pick(new MinimumUtilisation(), List.of(vm("a", 1, 512, 0.5), vm("b", 1, 4096, 0.2), vm("c", 1, 512, 0.2))))
        .isEqualTo("b");
  }

  @Test
  void secondMostLoadedKeepsTheBusiestAndMovesTheNext() {
    // CPU in use: a 2 × 0.5 = 1.0, b 4 × 0.5 = 2.0, c 1 × 0.9 = 0.9 → b, a, c: the second is a.
    assertThat(pick(new SecondMostLoaded(), List.of(vm("a", 2, 512, 0.5), vm("b", 4, 512, 0.5), vm("c", 1, 512, 0.9))))
        .isEqualTo("a");
    assertThat(pick(new SecondMostLoaded(), List.of(vm("only", 8, 512, 1.0)))).as("one guest: nothing to hand over").isEqualTo("-");
  }

  @Test
  void randomSelectionReplaysFromItsSeed() {
    List<VmLoad> vms = List.of(vm("a", 1, 512, 0), vm("b", 1, 512, 0), vm("c", 1, 512, 0), vm("d", 1, 512, 0));
    RandomSelection rs = new RandomSelection();
    Set<String> seen = new HashSet<>();
    for (long seed = 0; seed < 50; seed++) {
      String first = rs.select(vms, seed).orElseThrow().vm();
      assertThat(rs.select(vms, seed).orElseThrow().vm()).as("same seed, same choice").isEqualTo(first);
      seen.add(first);
    }
    assertThat(seen).as("every VM can be drawn").containsExactlyInAnyOrder("a", "b", "c", "d");
  }

  @Test
  void maximumCorrelationTakesTheVmBestExplainedByTheOthers() {
    // sum = a + b + small noise: each of a, b, sum is nearly explained by the other two (R² 0.99959,
    // 0.99912, 0.99971, computed independently with numpy's lstsq), and sum, with the largest
    // variance, best of all; noise only at 0.763.
    double[] a = {1, 3, 2, 5, 4, 6, 3, 7};
    double[] b = {2, 1, 3, 1, 4, 2, 5, 3};
    double[] noise = {5, 1, 4, 1, 5, 9, 2, 6};
    double[] e = {.1, -.1, .05, 0, -.05, .1, -.1, 0};
    double[] sum = new double[8];
    for (int i = 0; i < 8; i++) {
      sum[i] = a[i] + b[i] + e[i];
    }
    MaximumCorrelation mc = new MaximumCorrelation();
    assertThat(pick(mc, List.of(vm("noise", 1, 512, 0, noise), vm("a", 1, 4096, 0, a), vm("sum", 1, 4096, 0, sum),
        vm("b", 1, 4096, 0, b)))).isEqualTo("sum");
  }

  @Test
  void maximumCorrelationFallsBackToMinimumMigrationTime() {
    MaximumCorrelation mc = new MaximumCorrelation();
    assertThat(pick(mc, List.of(vm("big", 1, 4096, 0, 1, 2, 3), vm("small", 1, 512, 0, 3, 1, 2), vm("mid", 1, 1024, 0, 2, 2))))
        .as("2 samples for 3 candidates: no regression").isEqualTo("small");
    assertThat(pick(mc, List.of(vm("one", 1, 4096, 0, 1, 2, 3)))).isEqualTo("one");
    double[] flat = {1, 1, 1, 1, 1};
    assertThat(pick(mc, List.of(vm("big", 1, 4096, 0, flat), vm("small", 1, 512, 0, 1, 2, 3, 4, 5), vm("mid", 1, 1024, 0, 2, 4, 6, 8, 10))))
        .as("a constant regressor makes the design singular").isEqualTo("small");
  }

  @Test
  void theRegistryKnowsEverySelectorByName() {
    for (String name : new String[] {"mmt", "mu", "mc", "rs", "second-most-loaded"}) {
      assertThat(ConsolidationPolicies.selector("optimizer.selection", name).name()).isEqualTo(name);
    }
    assertThatThrownBy(() -> ConsolidationPolicies.selector("optimizer.selection", "fastest"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("optimizer.selection").hasMessageContaining("mmt");
  }
}
