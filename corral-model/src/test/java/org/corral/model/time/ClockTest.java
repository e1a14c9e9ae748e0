package org.corral.model.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClockTest {
  @Test
  void virtualClockRunsTasksInTimeThenSchedulingOrder() {
    VirtualClock c = new VirtualClock();
    List<String> ran = new ArrayList<>();
    c.schedule(Duration.ofSeconds(5), () -> ran.add("b@5"));
    c.schedule(Duration.ofSeconds(1), () -> {
      ran.add("a@1");
      c.schedule(Duration.ZERO, () -> ran.add("a2@1"));
      c.schedule(Duration.ofSeconds(10), () -> ran.add("d@11"));
    });
    c.schedule(Duration.ofSeconds(5), () -> ran.add("c@5"));
    Clock.Timer cancelled = c.schedule(Duration.ofSeconds(3), () -> ran.add("never"));
    cancelled.cancel();
    c.advance(Duration.ofSeconds(6));
    assertThat(ran).containsExactly("a@1", "a2@1", "b@5", "c@5");
    assertThat(c.now()).isEqualTo(new VirtualClock().now().plusSeconds(6));
    c.advance(Duration.ofSeconds(5));
    assertThat(ran).endsWith("d@11");
  }

  @Test
  void scopedClockDropsEverythingWhenHalted() {
    VirtualClock c = new VirtualClock();
    ScopedClock scope = new ScopedClock(c);
    List<String> ran = new ArrayList<>();
    scope.schedule(Duration.ofSeconds(1), () -> ran.add("scope"));
    c.schedule(Duration.ofSeconds(1), () -> ran.add("parent"));
    scope.halt();
    scope.schedule(Duration.ZERO, () -> ran.add("after halt"));
    c.advance(Duration.ofSeconds(2));
    assertThat(ran).containsExactly("parent");
    assertThat(scope.now()).isEqualTo(c.now());
  }

  @Test
  void derivedSeedsAreStableAndDistinct() {
    assertThat(Seeds.derive(42, "scheduler", 7)).isEqualTo(Seeds.derive(42, "scheduler", 7));
    assertThat(Seeds.derive(42, "scheduler", 7)).isNotEqualTo(Seeds.derive(42, "scheduler", 8));
    assertThat(Seeds.derive(42, "scheduler", 7)).isNotEqualTo(Seeds.derive(42, "monitor", 7));
  }
}
