package org.corral.policy.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.corral.model.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ExpressionsTest {
  /** Fixed inputs: zone a, ssd, 16 cores, 25% busy, 12 GiB free. */
  private static final ExpressionInputs INPUTS = new ExpressionInputs() {
    @Override public String hostName() { return "node1"; }
    @Override public Map<String, String> hostLabels() { return Map.of("zone", "a", "ssd", "yes"); }
    @Override public long hostCores() { return 16; }
    @Override public long hostMhzPerCore() { return 2600; }
    @Override public long hostMemoryMib() { return 16384; }
    @Override public double hostFreeCpus() { return 12.5; }
    @Override public long hostFreeMemoryMib() { return 12288; }
    @Override public double hostCpuUtilisation() { return 0.25; }
    @Override public long hostVms() { return 2; }
    @Override public String hostState() { return "UP"; }
    @Override public String vmName() { return "web1"; }
    @Override public long vmCpus() { return 2; }
    @Override public long vmMemoryMib() { return 2048; }
    @Override public Map<String, String> vmLabels() { return Map.of("tier", "gold"); }
  };

  @ParameterizedTest
  @ValueSource(strings = {
      "host.labels[\"zone\"] == \"a\"",
      "\"ssd\" in host.labels && host.cpuUtilisation < 0.8",
      "host.free.cpus > 2 && host.free.memoryMib >= vm.memoryMib",
      "host.vms < 10 || vm.labels[\"tier\"] == \"gold\""})
  void documentedRequirementsCompileAndHold(String expr) {
    assertThatCode(() -> Expressions.validateRequirements("spec.requirements", expr)).doesNotThrowAnyException();
    assertThat(Expressions.compile("spec.requirements", expr, ExpressionKind.REQUIREMENTS).test(INPUTS)).isTrue();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "host.free.memoryMib  | 12288",
      "-host.cpuUtilisation | -0.25",
      "host.cores * host.mhzPerCore | 41600",
      "1u                   | 1"})
  void documentedRanksCompileAndEvaluate(String expr, double expected) {
    assertThatCode(() -> Expressions.validateRank("spec.rank", expr)).doesNotThrowAnyException();
    assertThat(Expressions.compile("spec.rank", expr, ExpressionKind.RANK).rank(INPUTS)).isEqualTo(expected);
  }

  @Test
  void readsVmAndReadsPlacementStateAreDetected() {
    CompiledExpression staticOne = Expressions.compile("f", "host.labels[\"zone\"] == \"a\" && host.cpuUtilisation < 1.0", ExpressionKind.REQUIREMENTS);
    assertThat(staticOne.readsVm()).isFalse();
    assertThat(staticOne.readsPlacementState()).isFalse();
    CompiledExpression free = Expressions.compile("f", "host.free.memoryMib > 1", ExpressionKind.REQUIREMENTS);
    assertThat(free.readsPlacementState()).isTrue();
    assertThat(free.readsVm()).isFalse();
    assertThat(Expressions.compile("f", "host.vms < 3", ExpressionKind.REQUIREMENTS).readsPlacementState()).isTrue();
    assertThat(Expressions.compile("f", "vm.cpus < host.cores", ExpressionKind.REQUIREMENTS).readsVm()).isTrue();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "host.cores >                  | does not compile",
      "host.bogus == 1               | does not compile",
      "host.labels[\"zone\"]         | has type string but a requirements expression must be bool",
      "host.cores                    | has type int but a requirements expression must be bool",
      "host.name == 3                | does not compile"})
  void badRequirementsNameTheFieldAndTheFix(String expr, String problem) {
    assertThatThrownBy(() -> Expressions.validateRequirements("spec.requirements", expr))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("spec.requirements: " + problem)
        .hasMessageContaining("host.labels[\"zone\"] == \"a\"")
        .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("spec.requirements"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"host.name", "host.cores > 2", "host.labels"})
  void nonNumericRankIsRefused(String expr) {
    assertThatThrownBy(() -> Expressions.validateRank("vms[3].spec.rank", expr))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("vms[3].spec.rank: has type")
        .hasMessageContaining("must be a number")
        .hasMessageContaining("host.free.memoryMib");
  }

  @Test
  void blankExpressionsAreNoRequirement() {
    assertThatCode(() -> {
      Expressions.validateRequirements("spec.requirements", null);
      Expressions.validateRequirements("spec.requirements", "  ");
      Expressions.validateRank("spec.rank", null);
    }).doesNotThrowAnyException();
  }

  @Test
  void missingLabelFailsEvaluationRatherThanReturningFalse() {
    CompiledExpression e = Expressions.compile("f", "host.labels[\"gpu\"] == \"x\"", ExpressionKind.REQUIREMENTS);
    assertThatThrownBy(() -> e.test(INPUTS)).isInstanceOf(CompiledExpression.EvaluationFailure.class).hasMessageContaining("gpu");
  }

  @Test
  void cacheCompilesEachExpressionOnce() {
    ExpressionCache cache = new ExpressionCache(2);
    CompiledExpression a = cache.get("f", "host.cores > 1", ExpressionKind.REQUIREMENTS);
    assertThat(cache.get("f", "host.cores > 1", ExpressionKind.REQUIREMENTS)).isSameAs(a);
    cache.get("f", "host.cores > 2", ExpressionKind.REQUIREMENTS);
    cache.get("f", "host.cores > 3", ExpressionKind.REQUIREMENTS);
    assertThat(cache.get("f", "host.cores > 1", ExpressionKind.REQUIREMENTS)).as("evicted, compiled again").isNotSameAs(a);
  }
}
