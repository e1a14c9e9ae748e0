package org.corral.drivers.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.corral.model.InvalidInputException;
import org.junit.jupiter.api.Test;

class WorkloadModelTest {
  private static final Duration FIVE_MIN = Duration.ofMinutes(5);

  @Test
  void traceInterpolatesLinearlyBetweenPointsLikeCloudSim() {
    var t = new WorkloadModel.Trace(List.of(0.2, 0.6, 0.4), FIVE_MIN, false);

    assertThat(t.utilisationAt(Duration.ZERO)).isEqualTo(0.2);
    assertThat(t.utilisationAt(Duration.ofSeconds(150))).isCloseTo(0.4, within(1e-12));
    assertThat(t.utilisationAt(FIVE_MIN)).isEqualTo(0.6);
    assertThat(t.utilisationAt(Duration.ofSeconds(375))).isCloseTo(0.55, within(1e-12));
    assertThat(t.utilisationAt(Duration.ofMinutes(10))).isEqualTo(0.4);
    assertThat(t.utilisationAt(Duration.ofHours(3))).as("last value holds").isEqualTo(0.4);
    assertThat(t.utilisationAt(Duration.ofSeconds(-5))).as("before the start").isEqualTo(0.2);
  }

  @Test
  void aLoopingTraceWrapsFromTheLastValueBackToTheFirst() {
    var t = new WorkloadModel.Trace(List.of(0.2, 0.6, 0.4), FIVE_MIN, true);

    assertThat(t.utilisationAt(Duration.ofSeconds(750))).isCloseTo(0.3, within(1e-12)); // 0.4 -> 0.2 halfway
    assertThat(t.utilisationAt(Duration.ofMinutes(15))).isEqualTo(0.2);
    assertThat(t.utilisationAt(Duration.ofMinutes(20))).isEqualTo(0.6);
  }

  @Test
  void stepHoldsEachLevelUntilTheNext() {
    var s = new WorkloadModel.Step(List.of(new WorkloadModel.Level(Duration.ZERO, 0.1),
        new WorkloadModel.Level(Duration.ofMinutes(1), 0.8), new WorkloadModel.Level(Duration.ofMinutes(2), 0.3)));

    assertThat(s.utilisationAt(Duration.ofSeconds(59))).isEqualTo(0.1);
    assertThat(s.utilisationAt(Duration.ofSeconds(60))).isEqualTo(0.8);
    assertThat(s.utilisationAt(Duration.ofSeconds(119))).isEqualTo(0.8);
    assertThat(s.utilisationAt(Duration.ofDays(1))).isEqualTo(0.3);
  }

  @Test
  void badInputNamesTheField() {
    assertField(() -> WorkloadModel.constant(1.5), "workload.utilisation");
    assertField(() -> WorkloadModel.constant(Double.NaN), "workload.utilisation");
    assertField(() -> new WorkloadModel.Trace(List.of(), FIVE_MIN, false), "workload.values");
    assertField(() -> new WorkloadModel.Trace(List.of(0.1, -0.1), FIVE_MIN, false), "workload.values[1]");
    assertField(() -> new WorkloadModel.Trace(List.of(0.1), Duration.ZERO, false), "workload.interval");
    assertField(() -> new WorkloadModel.Step(List.of()), "workload.steps");
    assertField(() -> new WorkloadModel.Step(List.of(new WorkloadModel.Level(FIVE_MIN, 0.1))), "workload.steps[0].from");
    assertField(() -> new WorkloadModel.Step(List.of(new WorkloadModel.Level(Duration.ZERO, 0.1),
        new WorkloadModel.Level(Duration.ZERO, 0.2))), "workload.steps[1].from");
    assertField(() -> new WorkloadModel.Level(Duration.ofSeconds(-1), 0.1), "workload.steps[].from");
  }

  private static void assertField(Runnable r, String field) {
    assertThatThrownBy(r::run).isInstanceOfSatisfying(InvalidInputException.class,
        e -> assertThat(e.field()).isEqualTo(field));
  }

  @Property(tries = 200, seed = "20261126")
  void aTraceStaysWithinItsValues(@ForAll @Size(min = 1, max = 20) List<@DoubleRange(min = 0, max = 1) Double> values,
      @ForAll @IntRange(min = 0, max = 1_000_000) int second, @ForAll boolean loop) {
    var t = new WorkloadModel.Trace(values, FIVE_MIN, loop);
    double u = t.utilisationAt(Duration.ofSeconds(second));
    assertThat(u).isBetween(Collections.min(values), Collections.max(values));
  }

  @Property(tries = 200, seed = "20261126")
  void aTraceHitsEachValueAtItsSample(@ForAll @Size(min = 1, max = 20) List<@DoubleRange(min = 0, max = 1) Double> values,
      @ForAll @IntRange(min = 0, max = 19) int index) {
    int i = index % values.size();
    var t = new WorkloadModel.Trace(values, FIVE_MIN, true);
    assertThat(t.utilisationAt(FIVE_MIN.multipliedBy(i))).isEqualTo(values.get(i));
  }
}
