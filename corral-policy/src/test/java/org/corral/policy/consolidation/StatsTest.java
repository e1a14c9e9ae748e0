package org.corral.policy.consolidation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class StatsTest {
  private static final double[] ODD = {0.0, -0.0, Double.NaN, 1.0, -1.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.5};

  @Property(tries = 500, seed = "20261204")
  void sortsInArraysSortsOrder(@ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] a = new double[r.nextInt(40)];
    for (int i = 0; i < a.length; i++) {
      a[i] = r.nextInt(4) == 0 ? ODD[r.nextInt(ODD.length)] : r.nextInt(5) / 4.0;
    }
    double[] expected = a.clone();
    Arrays.sort(expected);
    Stats.sort(a);
    assertThat(Arrays.equals(a, expected)).as("seed %d: %s", seed, Arrays.toString(expected)).isTrue();
  }
}
