package org.corral.model.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SamplesTest {
  @Test
  void keepsTheLastSamplesOldestFirst() {
    Samples s = Samples.empty(3);
    assertThat(s.isEmpty()).isTrue();
    assertThat(s.last()).isZero();
    for (double v : new double[] {0.1, 0.2, 0.3, 0.4}) {
      s = s.append(v);
    }
    assertThat(s.toArray()).containsExactly(0.2, 0.3, 0.4);
    assertThat(s.get(0)).isEqualTo(0.2);
    assertThat(s.last()).isEqualTo(0.4);
    assertThat(s.meanOfLast(2)).isEqualTo(0.35, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(s.meanOfLast(10)).as("fewer than asked: the mean of all").isEqualTo(0.3, org.assertj.core.data.Offset.offset(1e-12));
    assertThatThrownBy(() -> Samples.empty(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ofKeepsTheLastValuesAsAppendingThemWould() {
    double[] values = {0.1, 0.2, 0.3, 0.4};
    Samples appended = Samples.empty(3);
    for (double v : values) {
      appended = appended.append(v);
    }
    Samples of = Samples.of(values, 3);
    assertThat(of.toArray()).containsExactly(appended.toArray());
    assertThat(of.capacity()).isEqualTo(3);
    assertThat(of.append(0.5).toArray()).containsExactly(0.3, 0.4, 0.5);
    assertThat(values).containsExactly(0.1, 0.2, 0.3, 0.4); // copied, not shared
    assertThat(Samples.of(new double[] {0.7}, 30).toArray()).containsExactly(0.7);
    assertThatThrownBy(() -> Samples.of(values, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anOlderVersionNeverChangesWhenANewerOneIsAppendedTo() {
    Samples a = Samples.empty(2).append(1).append(2);
    Samples b = a.append(3);
    Samples c = b.append(4);
    assertThat(a.toArray()).containsExactly(1, 2);
    assertThat(b.toArray()).containsExactly(2, 3);
    assertThat(c.toArray()).containsExactly(3, 4);
    // A fork: appending to an older version must not disturb the newer ones.
    Samples fork = a.append(9);
    assertThat(fork.toArray()).containsExactly(2, 9);
    assertThat(b.toArray()).containsExactly(2, 3);
    assertThat(c.toArray()).containsExactly(3, 4);
  }

  @Property(tries = 200, seed = "20261204")
  void behavesLikeABoundedQueueAndVersionsAreImmutable(@ForAll @IntRange(min = 1, max = 15) int capacity,
      @ForAll @Size(max = 200) List<@IntRange(min = 0, max = 100) Integer> values, @ForAll @IntRange(min = 0, max = 199) int forkAt) {
    Samples s = Samples.empty(capacity);
    ArrayDeque<Double> reference = new ArrayDeque<>();
    List<Samples> versions = new ArrayList<>();
    List<double[]> expected = new ArrayList<>();
    for (int v : values) {
      s = s.append(v / 100.0);
      reference.addLast(v / 100.0);
      if (reference.size() > capacity) {
        reference.removeFirst();
      }
      versions.add(s);
      expected.add(reference.stream().mapToDouble(Double::doubleValue).toArray());
      if (versions.size() == forkAt + 1) {
        versions.get(versions.size() / 2).append(-1); // a stray fork must not change anything
      }
    }
    for (int i = 0; i < versions.size(); i++) {
      assertThat(versions.get(i).toArray()).as("version %d", i).containsExactly(expected.get(i));
    }
  }
}
