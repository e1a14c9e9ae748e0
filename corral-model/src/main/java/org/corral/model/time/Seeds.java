package org.corral.model.time;

import java.util.SplittableRandom;

/**
 * Seeded randomness. Each loop cycle derives its own seed from (root seed, loop, cycle), journals
 * it, and makes every random choice from it, so that any decision can be replayed.
 */
public final class Seeds {
  private Seeds() {}

  public static long derive(long root, String loop, long cycle) {
    long h = root * 0x9E3779B97F4A7C15L;
    h ^= loop.hashCode() * 0xC2B2AE3D27D4EB4FL;
    h ^= cycle * 0x165667B19E3779F9L;
    return new SplittableRandom(h).nextLong();
  }

  public static SplittableRandom random(long seed) {
    return new SplittableRandom(seed);
  }
}
