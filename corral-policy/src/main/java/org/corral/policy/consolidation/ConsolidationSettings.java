package org.corral.policy.consolidation;

import java.time.Duration;
import java.util.Objects;
import org.corral.model.InvalidInputException;

/**
 * How the optimizer consolidates (the corral.yaml {@code optimizer:} section).
 *
 * @param detector          when a host is overloaded
 * @param selector          which VM leaves an overloaded host
 * @param lower             a host whose CPU demand is under this share is drained (all its VMs or none)
 * @param upper             a destination must stay at or under this share with the VM added
 *                          (hysteresis: lower must be well under upper)
 * @param cooldown          a VM that changed state (a migration landed, it booted) this recently stays put
 * @param maxMigrations     migrations planned per cycle at most
 * @param reserveHosts      empty hosts kept on as spare room
 * @param emptySamples      polls in a row a host must have been seen empty before it is switched off
 * @param migrationMibPerSecond  expected live-migration throughput (for how far LR looks ahead)
 * @param minSavingWatts    a drain must save at least this much power (the emptied host's draw, less
 *                          what its VMs add elsewhere), or it is not worth the migrations
 */
public record ConsolidationSettings(OverloadDetector detector, VmSelector selector, double lower, double upper,
    Duration cooldown, int maxMigrations, int reserveHosts, int emptySamples, double migrationMibPerSecond,
    double minSavingWatts) {

  /** With Corral's default minimum saving of 10 W. */
  public ConsolidationSettings(OverloadDetector detector, VmSelector selector, double lower, double upper, Duration cooldown,
      int maxMigrations, int reserveHosts, int emptySamples, double migrationMibPerSecond) {
    this(detector, selector, lower, upper, cooldown, maxMigrations, reserveHosts, emptySamples, migrationMibPerSecond, 10);
  }

  /** Corral's default: robust regression, minimum migration time, drain under 20 %, fill to 80 %. */
  public static final ConsolidationSettings DEFAULT = new ConsolidationSettings(new LocalRegression(1.2, true),
      new MinimumMigrationTime(), 0.2, 0.8, Duration.ofMinutes(10), 8, 1, 6, 125, 10);

  /**
   * The energy study's rules (Castellon 2012): static 80 %, the second most loaded VM moves,
   * drain under 10 %, no reserve, no cool-down beyond one cycle.
   */
  public static final ConsolidationSettings ENERSIS = new ConsolidationSettings(new StaticThreshold(0.8),
      new SecondMostLoaded(), 0.1, 0.8, Duration.ofSeconds(10), Integer.MAX_VALUE, 0, 1, 125, 0);

  public ConsolidationSettings {
    Objects.requireNonNull(detector, "detector");
    Objects.requireNonNull(selector, "selector");
    if (!(lower >= 0 && lower < upper && upper <= 1)) {
      throw new InvalidInputException("optimizer.lower", "must satisfy 0 <= lower < upper <= 1, got lower " + lower
          + " and upper " + upper, "e.g. lower 0.2, upper 0.8: the gap keeps a drained VM from tipping its new host over");
    }
    if (cooldown == null || cooldown.isNegative()) {
      throw new InvalidInputException("optimizer.cooldown", "must be a duration of 0 or more", "e.g. 10m");
    }
    if (!(minSavingWatts >= 0)) {
      throw new InvalidInputException("optimizer.minSavingWatts", "must be 0 or more, got " + minSavingWatts, "e.g. 10");
    }
    if (maxMigrations < 1 || reserveHosts < 0 || emptySamples < 1 || !(migrationMibPerSecond > 0)) {
      throw new InvalidInputException("optimizer", "maxMigrations and emptySamples must be at least 1, reserveHosts at "
          + "least 0 and migrationMibPerSecond positive", "e.g. maxMigrations 8, reserveHosts 1, emptySamples 6");
    }
  }
}
