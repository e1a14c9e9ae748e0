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
 * @param rules             Corral's rules, or the published algorithm's ({@link Rules#PUBLISHED})
 */
public record ConsolidationSettings(OverloadDetector detector, VmSelector selector, double lower, double upper,
    Duration cooldown, int maxMigrations, int reserveHosts, int emptySamples, double migrationMibPerSecond,
    double minSavingWatts, Rules rules) {

  /**
   * Where Corral's consolidation departs from the published algorithm (Beloglazov and Buyya 2012,
   * as CloudSim 3.0.3 runs it; shared/reference/cloudsim-3.0.3.md §5), and the published choice.
   * <ul>
   *   <li>CORRAL: a destination must stay at or under {@code upper}; a drain that fails leaves its
   *       host a possible destination; empty hosts are switched off and woken by the plan.</li>
   *   <li>PUBLISHED: a destination that already runs VMs must not be overloaded, by the policy's
   *       own detector, once the VM is added (its history with the VM's, §5.5), besides fitting
   *       under {@code upper}; a host whose drain fails takes no VM for the rest of the pass
   *       (§5.6); the power a VM adds to a host is measured from the host's load at the start of
   *       the pass (§5.5); drain candidates are judged and ordered on the load at the start of the
   *       pass, so a host the overload phase sends a VM to may be drained, that VM then moving on
   *       in a second migration planned after the first (§5.6, the phase-1 destinations CloudSim
   *       fails to exclude); hosts that ran no VM at the start take no drained VM; no power
   *       actions: the data centre counts an idle host as off (§3). With {@code lower} 1 every
   *       host that is not full is a drain candidate (no lower threshold).</li>
   *   <li>HERD: Corral's rules, and (0) the detector reads a host's history as the sum of its
   *       VMs' own samples, not as measured on the host; (1) a destination that runs VMs must not be overloaded, by the
   *       policy's detector, once the VM's own samples are added to its history, newest aligned
   *       with newest, as under published rules: the detector reads the sum of the VMs' own
   *       demands, so VMs that peak together fail it where VMs that peak apart pass (placement by
   *       correlation); (2) an empty destination is charged its idle power on top of what the VM
   *       adds there, since it could otherwise stay off: a VM wakes an empty host only when no
   *       host running VMs can take it, which saves the migrations that would later drain it.</li>
   * </ul>
   */
  public enum Rules { CORRAL, PUBLISHED, HERD }

  /** With Corral's rules. */
  public ConsolidationSettings(OverloadDetector detector, VmSelector selector, double lower, double upper, Duration cooldown,
      int maxMigrations, int reserveHosts, int emptySamples, double migrationMibPerSecond, double minSavingWatts) {
    this(detector, selector, lower, upper, cooldown, maxMigrations, reserveHosts, emptySamples, migrationMibPerSecond,
        minSavingWatts, Rules.CORRAL);
  }

  /** With Corral's default minimum saving of 10 W. */
  public ConsolidationSettings(OverloadDetector detector, VmSelector selector, double lower, double upper, Duration cooldown,
      int maxMigrations, int reserveHosts, int emptySamples, double migrationMibPerSecond) {
    this(detector, selector, lower, upper, cooldown, maxMigrations, reserveHosts, emptySamples, migrationMibPerSecond, 10);
  }

  /** Corral's default: robust regression, minimum migration time, drain under 20 %, fill to 80 %. */
  public static final ConsolidationSettings DEFAULT = new ConsolidationSettings(new LocalRegression(1.2, true),
      new MinimumMigrationTime(), 0.2, 0.8, Duration.ofMinutes(10), 8, 1, 6, 125, 10);

  /**
   * Herd, Corral's own consolidation policy (docs/energy.md, "Herd"): LR(1.05) on the sum of each
   * host's VMs' own demands, the VM most correlated with the rest of its host leaves an overloaded
   * one, drain under 35 %, destinations judged by the detector with the VM's samples added and
   * empty hosts charged their idle power ({@link Rules#HERD}); no cap on migrations, no cool-down,
   * no reserve (cap them in corral.yaml, {@code maxMigrations}, for a cautious roll-out).
   */
  public static final ConsolidationSettings HERD = new ConsolidationSettings(new LocalRegression(1.05, false),
      new MaximumCorrelation(), 0.35, 1, Duration.ZERO, Integer.MAX_VALUE, 0, 1, 125, 10, Rules.HERD);

  /**
   * The energy study's rules (Castellon 2012): static 80 %, the second most loaded VM moves,
   * drain under 10 %, no reserve, no cool-down beyond one cycle.
   */
  public static final ConsolidationSettings ENERSIS = new ConsolidationSettings(new StaticThreshold(0.8),
      new SecondMostLoaded(), 0.1, 0.8, Duration.ofSeconds(10), Integer.MAX_VALUE, 0, 1, 125, 0);

  /**
   * The published algorithm as CloudSim 3.0.3 runs it with {@code detector} and {@code selector}:
   * no lower threshold, destinations judged by the detector and filled up to capacity, no cap on
   * migrations, no cool-down, no minimum saving, no power actions, LR's horizon from a migration
   * at 62.5 MiB/s (half of 1 Gbit/s, as CloudSim models it).
   */
  public static ConsolidationSettings published(OverloadDetector detector, VmSelector selector) {
    return new ConsolidationSettings(detector, selector, 1, 1, Duration.ZERO, Integer.MAX_VALUE, 0, 1, 62.5, 0,
        Rules.PUBLISHED);
  }

  /** The same settings with another detector and selector. */
  public ConsolidationSettings with(OverloadDetector d, VmSelector s) {
    return new ConsolidationSettings(d, s, lower, upper, cooldown, maxMigrations, reserveHosts, emptySamples,
        migrationMibPerSecond, minSavingWatts, rules);
  }

  public ConsolidationSettings {
    Objects.requireNonNull(detector, "detector");
    Objects.requireNonNull(selector, "selector");
    Objects.requireNonNull(rules, "rules");
    // Published rules have no lower threshold: lower = upper = 1 drains every host that is not full.
    boolean noLower = rules == Rules.PUBLISHED && lower == 1 && upper == 1;
    if (!(lower >= 0 && (lower < upper || noLower) && upper <= 1)) {
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
