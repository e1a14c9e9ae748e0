package org.corral.policy.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.corral.model.cluster.ElasticitySpec;
import org.corral.model.cluster.MetricProbe;
import org.corral.model.cluster.RoleSpec;
import org.corral.model.cluster.ScaleRule;
import org.corral.model.cluster.ScheduledCount;
import org.corral.policy.cluster.Elasticity.Decision;
import org.corral.policy.cluster.Elasticity.State;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The elasticity policy as tables on explicit instants: hold for N periods, cool-down, clamps, percent rounding, cron. */
class ElasticityTest {
  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z"); // a Monday
  private static final ScaleRule GROW = new ScaleRule("queue.max > 10", 2, 2, false, Duration.ofMinutes(3));
  private static final ScaleRule SHRINK = new ScaleRule("queue.max == 0.0 && cpu.mean < 0.2", 3, -1, false, Duration.ofMinutes(5));

  private static RoleSpec role(int min, int max, List<ScaleRule> rules, List<ScheduledCount> schedule) {
    return new RoleSpec("compute", min, max, min, null, null, null, List.of(), null, List.of(), List.of(), List.of(),
        new ElasticitySpec(Duration.ofSeconds(30), rules, schedule), List.of(new MetricProbe("queue", List.of("qstat"), null)));
  }

  private static final RoleSpec TORQUE = role(1, 10, List.of(GROW, SHRINK), List.of());

  /** One period per queue length, CPU of the members fixed at {@code cpu}. */
  private static List<Map<String, Double>> periods(double cpu, double... queue) {
    List<Map<String, Double>> out = new ArrayList<>();
    for (double q : queue) {
      out.add(Elasticity.aggregate(Map.of("queue", List.of(q), "cpu", List.of(cpu, cpu))));
    }
    return out;
  }

  static Stream<Arguments> torque() {
    Instant longAgo = T0.minus(Duration.ofHours(1));
    return Stream.of(
        // current, history, last scaling, state, new count
        Arguments.of(3, periods(0.9, 12), null, State.STEADY, null, "one period is not two"),
        Arguments.of(3, periods(0.9, 12, 5, 12), null, State.STEADY, null, "the last two periods must both hold"),
        Arguments.of(3, periods(0.9, 5, 12, 12), null, State.SCALING, 5, "held for 2 periods: +2"),
        Arguments.of(3, periods(0.9, 12, 12), longAgo, State.SCALING, 5, "cool-down long past"),
        Arguments.of(3, periods(0.9, 12, 12), T0.minus(Duration.ofMinutes(2)), State.COOLDOWN, null, "2 min after scaling, 3 min cool-down"),
        Arguments.of(3, periods(0.9, 12, 12), T0.minus(Duration.ofMinutes(3)), State.SCALING, 5, "exactly at the end of the cool-down"),
        Arguments.of(9, periods(0.9, 12, 12), null, State.SCALING, 10, "clamped to max"),
        Arguments.of(10, periods(0.9, 12, 12), null, State.STEADY, null, "at max: nothing to do, not cooling"),
        Arguments.of(4, periods(0.1, 0, 0, 0), null, State.SCALING, 3, "empty queue, idle nodes for 3 periods: -1"),
        Arguments.of(4, periods(0.5, 0, 0, 0), null, State.STEADY, null, "empty queue but busy nodes"),
        Arguments.of(1, periods(0.1, 0, 0, 0), null, State.STEADY, null, "at min"),
        Arguments.of(4, periods(0.1, 0, 0, 0), T0.minus(Duration.ofMinutes(4)), State.COOLDOWN, null, "shrink waits 5 min"),
        Arguments.of(4, periods(0.1, 5, 5), T0.minus(Duration.ofMinutes(1)), State.COOLDOWN, null, "no rule holds, still cooling"),
        Arguments.of(4, periods(0.1, 5, 5), T0.minus(Duration.ofMinutes(6)), State.STEADY, null, "no rule holds"),
        Arguments.of(4, List.of(Map.of(), Map.of()), null, State.STEADY, null, "no samples: a rule does not hold"));
  }

  @ParameterizedTest(name = "{5}")
  @MethodSource("torque")
  void torqueScalesOnTheQueue(int current, List<Map<String, Double>> history, @Nullable Instant last, State state, @Nullable Integer count,
      String why) {
    Decision d = Elasticity.decide(TORQUE, current, history, last, T0);
    assertThat(d.state()).as(d.reason()).isEqualTo(state);
    assertThat(d.count()).as(d.reason()).isEqualTo(count);
  }

  @Test
  void theReasonNamesTheRule() {
    assertThat(Elasticity.decide(TORQUE, 3, periods(0.9, 12, 12), null, T0).reason())
        .isEqualTo("rules[0] \"queue.max > 10\" held for 2 periods: +2, count 3 -> 5");
    assertThat(Elasticity.decide(TORQUE, 3, periods(0.9, 12, 12), T0.minusSeconds(60), T0).reason())
        .contains("cooling down until 2026-12-07T10:02:00Z");
  }

  static Stream<Arguments> percent() {
    return Stream.of(
        // adjust %, current, min, max, expected
        Arguments.of(50, 4, 1, 100, 6),
        Arguments.of(50, 3, 1, 100, 5), // 1.5 rounds away from zero to 2
        Arguments.of(10, 3, 1, 100, 4), // 0.3 is still one member
        Arguments.of(-50, 3, 1, 100, 1), // -1.5 → -2
        Arguments.of(-10, 3, 1, 100, 2),
        Arguments.of(-90, 10, 2, 100, 2), // clamped to min
        Arguments.of(200, 30, 1, 50, 50)); // clamped to max
  }

  @ParameterizedTest(name = "{0}% of {1} in {2}..{3} = {4}")
  @MethodSource("percent")
  void percentagesRoundAwayFromZeroWithinMinAndMax(int percent, int current, int min, int max, int expected) {
    RoleSpec r = role(min, max, List.of(new ScaleRule("cpu.mean > 0.0", 1, percent, true, Duration.ZERO)), List.of());
    Decision d = Elasticity.decide(r, current, periods(0.5, 0), null, T0);
    assertThat(d.count()).as(d.reason()).isEqualTo(expected);
  }

  @Test
  void aScheduleSetsTheCountOnceInThePeriodItFiresAndOverridesTheRules() {
    RoleSpec r = role(1, 10, List.of(GROW), List.of(new ScheduledCount("0 8 * * 1-5", 6), new ScheduledCount("0 20 * * *", 2)));
    Instant monday8 = Instant.parse("2026-12-07T08:00:10Z");
    Decision d = Elasticity.decide(r, 3, periods(0.9, 12, 12), T0.minus(Duration.ofDays(1)), monday8);
    assertThat(d.state()).isEqualTo(State.SCALING);
    assertThat(d.count()).isEqualTo(6);
    assertThat(d.reason()).startsWith("schedule \"0 8 * * 1-5\" fired at 2026-12-07T08:00:00Z");
    // Thirty seconds later the same firing is not applied again (the count changed after it): the rules run, cooling down.
    Decision next = Elasticity.decide(r, 6, periods(0.9, 12, 12), monday8, monday8.plusSeconds(30));
    assertThat(next.state()).isEqualTo(State.COOLDOWN);
    // The firing is seen by an evaluation up to one period later, not after.
    assertThat(Elasticity.decide(r, 3, periods(0.5, 0), null, Instant.parse("2026-12-07T08:00:40Z")).count()).isEqualTo(6);
    assertThat(Elasticity.decide(r, 3, periods(0.5, 0), null, Instant.parse("2026-12-07T08:01:00Z")).count()).isNull();
    // Saturday: 1-5 is Monday to Friday.
    assertThat(Elasticity.decide(r, 3, periods(0.5, 0), null, Instant.parse("2026-12-05T08:00:00Z")).count()).isNull();
    assertThat(Elasticity.decide(r, 3, periods(0.5, 0), null, Instant.parse("2026-12-05T20:00:05Z")).count()).isEqualTo(2);
    // Already at the scheduled count: nothing to do.
    assertThat(Elasticity.decide(r, 2, periods(0.5, 0), null, Instant.parse("2026-12-05T20:00:05Z")).state()).isEqualTo(State.STEADY);
  }

  @Test
  void aggregatesAreMeanMinMaxAndSumOverTheMembers() {
    assertThat(Elasticity.aggregate(Map.of("cpu", List.of(0.2, 0.4, 0.9), "queue", List.of())))
        .containsOnlyKeys("cpu.mean", "cpu.min", "cpu.max", "cpu.sum")
        .containsEntry("cpu.min", 0.2)
        .containsEntry("cpu.max", 0.9);
    assertThat(Elasticity.aggregate(Map.of("cpu", List.of(0.2, 0.4, 0.9))).get("cpu.mean")).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(Elasticity.aggregate(Map.of("cpu", List.of(0.2, 0.4, 0.9))).get("cpu.sum")).isCloseTo(1.5, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void aRoleWithoutElasticityStaysPut() {
    RoleSpec plain = new RoleSpec("web", 1, 3, 2, null, null, null, List.of(), null, List.of(), List.of(), List.of());
    assertThat(Elasticity.decide(plain, 2, periods(0.9, 12), null, T0).state()).isEqualTo(State.STEADY);
  }
}
