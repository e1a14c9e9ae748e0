package org.corral.model.cluster;

import java.time.Duration;
import org.corral.model.InvalidInputException;

/**
 * An elasticity rule: when {@code when} (CEL over the role's metrics) has held for
 * {@code forPeriods} consecutive periods, change the count by {@code adjust} (members, or percent
 * of the current count when {@code percent}), then wait {@code cooldown} before scaling again.
 */
public record ScaleRule(String when, int forPeriods, int adjust, boolean percent, Duration cooldown) {
  public static final Duration DEFAULT_COOLDOWN = Duration.ofMinutes(5);

  public ScaleRule {
    cooldown = cooldown == null ? DEFAULT_COOLDOWN : cooldown;
  }

  /** The adjustment as written: +2, -1, +50%. */
  public String adjustText() {
    return (adjust > 0 ? "+" : "") + adjust + (percent ? "%" : "");
  }

  void validate(String field) {
    if (when == null || when.isBlank()) {
      throw new InvalidInputException(field + ".when", "is missing", "e.g. when: \"cpu.mean > 0.8\"");
    }
    if (forPeriods < 1) {
      throw new InvalidInputException(field + ".for", "must be at least 1 period, got " + forPeriods, "e.g. for: 3");
    }
    if (adjust == 0) {
      throw new InvalidInputException(field + ".adjust", "is 0: the rule would change nothing", "e.g. adjust: +1, -2 or +50%");
    }
    if (percent && Math.abs(adjust) > 1000) {
      throw new InvalidInputException(field + ".adjust", "is " + adjustText() + ", more than 1000%", "e.g. adjust: +50%");
    }
    if (cooldown.isNegative()) {
      throw new InvalidInputException(field + ".cooldown", "must not be negative, got " + cooldown, "e.g. cooldown: 5m");
    }
  }
}
