package org.corral.model.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.corral.model.InvalidInputException;

/**
 * A role's elasticity: every {@code period} the role's metrics are measured and the rules
 * evaluated (docs/virtual-clusters.md, "Elasticity"); counts stay within the role's min and max.
 */
public record ElasticitySpec(Duration period, List<ScaleRule> rules, List<ScheduledCount> schedule) {
  public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(30);
  /** Metrics every member has, from the Monitor: cpu (utilisation at the last poll, 0..1) and memory (MiB the domain holds). */
  public static final Set<String> BUILT_IN = Set.of("cpu", "memory");
  /** How a metric is aggregated over the members: {@code cpu.mean}, {@code queue.max}. */
  public static final List<String> AGGREGATES = List.of("mean", "min", "max", "sum");

  public ElasticitySpec {
    period = period == null ? DEFAULT_PERIOD : period;
    rules = rules == null ? List.of() : List.copyOf(rules);
    schedule = schedule == null ? List.of() : List.copyOf(schedule);
  }

  void validate(String field, RoleSpec role) {
    if (period.isNegative() || period.isZero()) {
      throw new InvalidInputException(field + ".period", "must be positive", "e.g. period: 30s");
    }
    if (rules.isEmpty() && schedule.isEmpty()) {
      throw new InvalidInputException(field, "has no rules and no schedule", "add rules: [{when: \"cpu.mean > 0.8\", for: 3, adjust: +1}] or drop elasticity");
    }
    if (role.min() == role.max()) {
      throw new InvalidInputException(field, "cannot change the count: min and max are both " + role.min(), "give the role a range, e.g. min: 1, max: 10");
    }
    for (int i = 0; i < rules.size(); i++) {
      rules.get(i).validate(field + ".rules[" + i + "]");
    }
    for (int i = 0; i < schedule.size(); i++) {
      schedule.get(i).validate(field + ".schedule[" + i + "]", role);
    }
  }
}
