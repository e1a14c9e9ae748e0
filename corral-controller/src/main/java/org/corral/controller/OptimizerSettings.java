package org.corral.controller;

import java.time.Duration;
import java.util.Objects;
import org.corral.model.InvalidInputException;
import org.corral.policy.consolidation.ConsolidationSettings;

/**
 * The energy optimizer (corral.yaml {@code optimizer:}): how much it may do on its own, how often
 * it decides, and how it consolidates.
 *
 * @param automation OFF decides nothing; RECOMMEND shows its plan (`corral plan`) and applies
 *                   nothing; PARTIAL applies migrations and leaves power actions to be approved;
 *                   FULL applies everything
 * @param period     how often it decides (the energy study: 10 s)
 */
public record OptimizerSettings(Automation automation, Duration period, ConsolidationSettings consolidation) {
  public enum Automation { OFF, RECOMMEND, PARTIAL, FULL }

  /** Recommend only, every 30 s: nothing moves until an administrator says so. */
  public static final OptimizerSettings DEFAULT = new OptimizerSettings(Automation.RECOMMEND, Duration.ofSeconds(30),
      ConsolidationSettings.DEFAULT);

  public OptimizerSettings {
    Objects.requireNonNull(automation, "automation");
    Objects.requireNonNull(consolidation, "consolidation");
    if (period == null || period.isZero() || period.isNegative()) {
      throw new InvalidInputException("optimizer.period", "must be a positive duration", "e.g. 30s (the energy study used 10s)");
    }
  }

  public OptimizerSettings withAutomation(Automation a) {
    return new OptimizerSettings(a, period, consolidation);
  }
}
