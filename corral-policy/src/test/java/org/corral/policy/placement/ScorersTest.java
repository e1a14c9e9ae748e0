package org.corral.policy.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.corral.model.host.HostState;
import org.corral.model.host.PowerModel;
import org.corral.model.vm.PlacementPolicy;
import org.corral.model.vm.VmSpec;
import org.corral.policy.expr.ExpressionKind;
import org.corral.policy.expr.Expressions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One table per scorer, on a one-host snapshot (host index 0). */
class ScorersTest {
  private static Candidate vm(int cpus, long memoryMib) {
    return new Candidate(Lab.pending("v", cpus, memoryMib), PlacementPolicy.PACKING, null, null);
  }

  private static PlacementState host(int cores, long memoryMib, int reservedCpus, long reservedMemory, double utilisation) {
    Lab lab = new Lab().host("h", cores, memoryMib).utilisation("h", utilisation);
    if (reservedMemory > 0) {
      lab.running("x", "h", reservedCpus, reservedMemory);
    }
    return new PlacementState(lab.snapshot(), 1.0);
  }

  @ParameterizedTest(name = "{2}/{1} MiB reserved + {3} -> {4}")
  @CsvSource({
      "16, 16384, 0,     4096,  0.25",
      "16, 16384, 8192,  4096,  0.75",
      "16, 16384, 12288, 4096,  1.0",
      "64, 65536, 16384, 16384, 0.5"})
  void packingScoreIsMemoryShareAfter(int cores, long memory, long reserved, long needs, double expected) {
    PlacementState s = host(cores, memory, 1, reserved, 0);
    assertThat(new PackingScorer().score(s, 0, vm(1, needs))).isCloseTo(expected, within(1e-6));
  }

  @ParameterizedTest(name = "{0} VMs there -> {1}")
  @CsvSource({"0, 0.5", "1, 0.3333333", "3, 0.2"})
  void stripingScoreFallsWithEachVm(int vmsThere, double expected) {
    Lab lab = new Lab().host("h", 64, 65536);
    for (int i = 0; i < vmsThere; i++) {
      lab.running("x" + i, "h", 1, 1024);
    }
    assertThat(new StripingScorer().score(new PlacementState(lab.snapshot(), 1.0), 0, vm(1, 1024)))
        .isCloseTo(expected, within(1e-6));
  }

  @ParameterizedTest(name = "{0} cores at {1} needs {2} -> {3}")
  @CsvSource({"10, 0.0, 2, 0.8", "10, 0.5, 2, 0.3", "10, 0.9, 2, 0.0"})
  void loadAwareScoreIsFreeMeasuredCpuShareOfTheLargestHost(int cores, double utilisation, int needs, double expected) {
    PlacementState s = host(cores, 65536, 0, 0, utilisation);
    assertThat(new LoadAwareScorer().score(s, 0, vm(needs, 1))).isCloseTo(expected, within(1e-9));
  }

  @ParameterizedTest(name = "{0} of 10 vCPUs reserved + {1} -> +{2} W")
  @CsvSource({
      "0, 2, 120.0",  // empty host: from 0 W (off) to 100 + 100 x 0.2
      "2, 2, 20.0",   // 20% -> 40%: 120 W -> 140 W
      "8, 2, 20.0",
      "9, 2, 10.0"})  // clamped at 100%
  void powerAwareCountsExtraWattsAndTheIdleCostOfAnEmptyHost(int reserved, int needs, double watts) {
    Lab lab = new Lab().host("h", 10, 65536, HostState.UP, Map.of(), PowerModel.linear(100, 200));
    if (reserved > 0) {
      lab.running("x", "h", reserved, 1024);
    }
    PlacementState s = new PlacementState(lab.snapshot(), 1.0);
    assertThat(PowerAwareScorer.extraWatts(s, 0, vm(needs, 1))).isCloseTo(watts, within(1e-9));
    assertThat(new PowerAwareScorer().score(s, 0, vm(needs, 1))).isCloseTo(1 - watts / 200, within(1e-9));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "host.free.memoryMib       | 12288",
      "-host.cpuUtilisation      | -0.25",
      "host.cores * 2            | 32",
      "host.labels[\"nope\"] == \"\" ? 1 : 2 | -Infinity"})
  void customRankScoreIsTheRankOrLastWhenItFails(String rank, double expected) {
    PlacementState s = host(16, 16384, 1, 4096, 0.25);
    Candidate c = new Candidate(Lab.pending("v", VmSpec.of(1, 1).withPolicy(PlacementPolicy.CUSTOM, rank)),
        PlacementPolicy.CUSTOM, null, Expressions.compile("spec.rank", rank, ExpressionKind.RANK));
    assertThat(new CustomRankScorer().score(s, 0, c)).isEqualTo(expected);
  }
}
