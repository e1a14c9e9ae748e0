package org.corral.drivers.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ReconnectBackoffTest {
  private static final ReconnectBackoff NO_JITTER = new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), 0, 7);
  private static final ReconnectBackoff JITTER = new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), 0.2, 7);

  @Test
  void doublesUntilTheCap() {
    assertThat(NO_JITTER.delay("u", 1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(NO_JITTER.delay("u", 2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(NO_JITTER.delay("u", 6)).isEqualTo(Duration.ofSeconds(32));
    assertThat(NO_JITTER.delay("u", 7)).isEqualTo(Duration.ofSeconds(60));
    assertThat(NO_JITTER.delay("u", 1000)).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void sameSeedSameDelaysAndHostsDiffer() {
    assertThat(JITTER.delay("qemu+ssh://n1/system", 3)).isEqualTo(JITTER.delay("qemu+ssh://n1/system", 3));
    assertThat(JITTER.delay("qemu+ssh://n1/system", 3)).isNotEqualTo(JITTER.delay("qemu+ssh://n2/system", 3));
  }

  @Property(tries = 200)
  void jitterOnlyShortensAndByAtMostItsShare(@ForAll @IntRange(min = 1, max = 40) int attempt) {
    long full = NO_JITTER.delay("u", attempt).toNanos();
    long jittered = JITTER.delay("u", attempt).toNanos();
    assertThat(jittered).isLessThanOrEqualTo(full).isGreaterThanOrEqualTo((long) (full * 0.8) - 1);
  }
}
