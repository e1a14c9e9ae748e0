package org.corral.policy.cluster;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.corral.model.cluster.Cron;
import org.corral.model.cluster.ElasticitySpec;
import org.corral.model.cluster.RoleSpec;
import org.corral.model.cluster.ScaleRule;
import org.corral.model.cluster.ScheduledCount;
import org.corral.policy.expr.MetricCondition;
import org.jspecify.annotations.Nullable;

/**
 * A role's elasticity as a pure function: the rules, the role's metrics per period (oldest first),
 * the last time its count changed and now give the new count, or none, with the reason.
 *
 * <p>A scheduled count applies once, in the period its cron fires, and overrides the rules. A rule
 * fires when its {@code when} held in each of its last {@code for} periods (a period without a
 * value for a metric it reads does not hold), unless the count changed less than its cool-down
 * ago (COOLDOWN); rules are tried in order, the first that would change the count wins. Counts
 * stay within the role's min and max; a percentage rounds away from zero to at least one member.
 */
public final class Elasticity {
  private Elasticity() {}

  public enum State {
    /** Nothing to change. */
    STEADY,
    /** {@link Decision#count()} is the new count. */
    SCALING,
    /** A rule holds (or the last change is recent) but the cool-down has not passed. */
    COOLDOWN
  }

  /** The outcome; {@code count} is non-null exactly when {@code state} is SCALING. */
  public record Decision(State state, @Nullable Integer count, String reason) {
    static Decision steady(String reason) {
      return new Decision(State.STEADY, null, reason);
    }
  }

  /**
   * One period's values as rules read them: for each metric its per-member samples reduced to
   * {@code NAME.mean}, {@code .min}, {@code .max} and {@code .sum}; a metric without samples has none.
   */
  public static Map<String, Double> aggregate(Map<String, List<Double>> samples) {
    Map<String, Double> out = new TreeMap<>();
    samples.forEach((metric, values) -> {
      if (!values.isEmpty()) {
        var s = values.stream().mapToDouble(Double::doubleValue).summaryStatistics();
        out.put(metric + ".mean", s.getAverage());
        out.put(metric + ".min", s.getMin());
        out.put(metric + ".max", s.getMax());
        out.put(metric + ".sum", s.getSum());
      }
    });
    return out;
  }

  /**
   * @param current     the role's count now
   * @param history     aggregated metrics per period (see {@link #aggregate}), oldest first, the
   *                    last one the period ending now
   * @param lastScaling when the count last changed; null: never
   */
  public static Decision decide(RoleSpec role, int current, List<Map<String, Double>> history, @Nullable Instant lastScaling, Instant now) {
    ElasticitySpec e = role.elasticity();
    if (e == null) {
      return Decision.steady("no elasticity");
    }
    for (int i = 0; i < e.schedule().size(); i++) {
      ScheduledCount sc = e.schedule().get(i);
      Instant fired = lastFiring(Cron.parse("schedule[" + i + "].cron", sc.cron()), now, e.period());
      if (fired != null && (lastScaling == null || fired.isAfter(lastScaling))) {
        int target = clamp(role, sc.count());
        if (target != current) {
          return new Decision(State.SCALING, target, "schedule \"" + sc.cron() + "\" fired at " + fired + ": count " + current + " -> " + target);
        }
      }
    }
    Instant coolingUntil = null;
    for (int i = 0; i < e.rules().size(); i++) {
      ScaleRule r = e.rules().get(i);
      if (!holds(role, r, i, history)) {
        continue;
      }
      int target = clamp(role, current + delta(current, r));
      if (target == current) {
        continue;
      }
      String why = "rules[" + i + "] \"" + r.when() + "\" held for " + r.forPeriods() + " period" + (r.forPeriods() == 1 ? "" : "s");
      if (lastScaling != null && now.isBefore(lastScaling.plus(r.cooldown()))) {
        return new Decision(State.COOLDOWN, null, why + " but cooling down until " + lastScaling.plus(r.cooldown()));
      }
      return new Decision(State.SCALING, target, why + ": " + r.adjustText() + ", count " + current + " -> " + target);
    }
    if (lastScaling != null) {
      for (ScaleRule r : e.rules()) {
        Instant until = lastScaling.plus(r.cooldown());
        if (now.isBefore(until) && (coolingUntil == null || until.isAfter(coolingUntil))) {
          coolingUntil = until;
        }
      }
    }
    return coolingUntil != null ? new Decision(State.COOLDOWN, null, "cooling down until " + coolingUntil) : Decision.steady("no rule holds");
  }

  /** The change a rule asks of {@code current} members, before the min/max clamp. */
  static int delta(int current, ScaleRule r) {
    if (!r.percent()) {
      return r.adjust();
    }
    int magnitude = (int) Math.max(1, Math.ceil(current * Math.abs(r.adjust()) / 100.0));
    return r.adjust() > 0 ? magnitude : -magnitude;
  }

  private static boolean holds(RoleSpec role, ScaleRule r, int index, List<Map<String, Double>> history) {
    if (history.size() < r.forPeriods()) {
      return false;
    }
    MetricCondition c = MetricCondition.compile("elasticity.rules[" + index + "].when", r.when(), role.metricNames());
    for (Map<String, Double> period : history.subList(history.size() - r.forPeriods(), history.size())) {
      if (!c.test(period).orElse(false)) {
        return false;
      }
    }
    return true;
  }

  /** The latest minute in the period ending {@code now} (at least now's own minute) in which {@code cron} fires. */
  private static @Nullable Instant lastFiring(Cron cron, Instant now, Duration period) {
    Instant minute = now.truncatedTo(ChronoUnit.MINUTES);
    Instant from = now.minus(period);
    for (Instant t = minute; !t.isBefore(from) || t.equals(minute); t = t.minus(1, ChronoUnit.MINUTES)) {
      if (cron.matches(t)) {
        return t;
      }
    }
    return null;
  }

  private static int clamp(RoleSpec role, int count) {
    return Math.max(role.min(), Math.min(role.max(), count));
  }
}
