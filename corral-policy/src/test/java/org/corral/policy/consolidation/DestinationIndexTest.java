package org.corral.policy.consolidation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The index against a plain scan of the same numbers, after random updates. */
class DestinationIndexTest {

  @Test
  void findsTheFirstHostWithRoomInTheRange() {
    DestinationIndex index = new DestinationIndex(5);
    index.put(0, 1024, 8, 0.1);  // too little memory
    index.put(1, 8192, 1, 0.1);  // too few vCPUs
    index.put(2, 8192, 8, 0.7);  // too busy for 0.2 more
    index.put(3, 8192, 8, 0.5);
    index.put(4, 8192, 8, 0.0);
    assertThat(index.first(0, 5, 4096, 2, 0.2, 0.8)).isEqualTo(3);
    assertThat(index.first(4, 5, 4096, 2, 0.2, 0.8)).as("from slot 4 on").isEqualTo(4);
    assertThat(index.first(0, 3, 4096, 2, 0.2, 0.8)).as("none before slot 3").isEqualTo(DestinationIndex.NONE);
    index.clear(3);
    assertThat(index.first(0, 5, 4096, 2, 0.2, 0.8)).as("a cleared slot takes nothing").isEqualTo(4);
    index.put(1, 8192, 1.9999999999, 0.1);
    assertThat(index.first(0, 5, 4096, 2, 0.2, 0.8)).as("CpuFitFilter's tolerance").isEqualTo(1);
  }

  @Property(tries = 300, seed = "20261204")
  void agreesWithAScan(@ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int slots = 1 + r.nextInt(70);
    DestinationIndex index = new DestinationIndex(slots);
    long[] memory = new long[slots];
    double[] cpus = new double[slots];
    double[] load = new double[slots];
    boolean[] present = new boolean[slots];
    for (int step = 0; step < 400; step++) {
      int slot = r.nextInt(slots);
      if (r.nextInt(6) == 0) {
        index.clear(slot);
        present[slot] = false;
      } else {
        memory[slot] = 1024L * r.nextInt(9);
        // Whole and fractional vCPUs (overcommit 1.5), a few over-reserved (negative).
        cpus[slot] = (r.nextInt(26) - 2) * (r.nextBoolean() ? 1.0 : 0.5);
        load[slot] = r.nextInt(11) / 10.0 + (r.nextBoolean() ? 0 : 1e-12);
        index.put(slot, memory[slot], cpus[slot], load[slot]);
        present[slot] = true;
      }
      int from = r.nextInt(slots + 1);
      int to = from + r.nextInt(slots + 1 - from);
      long needMemory = 1024L * r.nextInt(9);
      int needCpus = 1 + r.nextInt(12); // past DestinationIndex.WHOLE too
      double share = r.nextInt(5) / 10.0;
      double upper = 0.8;
      int expected = DestinationIndex.NONE;
      for (int i = from; i < to && expected == DestinationIndex.NONE; i++) {
        if (present[i] && memory[i] >= needMemory && needCpus <= cpus[i] + 1e-9 && !(load[i] + share > upper)) {
          expected = i;
        }
      }
      assertThat(index.first(from, to, needMemory, needCpus, share, upper))
          .as("seed %d step %d: first of [%d, %d) with %d MiB, %d vCPUs, +%.1f", seed, step, from, to, needMemory, needCpus,
              share)
          .isEqualTo(expected);
    }
  }
}
