package org.corral.sim;

import java.util.Arrays;
import java.util.Comparator;
import org.corral.model.host.PowerModel;

/**
 * The full-service energy bound: a demand served by the most efficient hosts (most capacity per
 * watt at 100 %) running flat out, the last one fractionally, with no migration and no idle host.
 * No placement that serves the whole demand on these hosts can draw less with power models whose
 * watts per unit of work fall as utilisation rises (as SPECpower tables do): it is the floor a run
 * is measured against ("× bound").
 */
final class Bound {
  private final double[] capacity;
  private final PowerModel[] power;
  /** Host positions, most efficient first (ties by position): sorted once, as the hosts never change. */
  private final int[] order;

  Bound(double[] capacity, PowerModel[] power) {
    this.capacity = capacity.clone();
    this.power = power.clone();
    Integer[] sorted = new Integer[capacity.length];
    for (int i = 0; i < sorted.length; i++) {
      sorted[i] = i;
    }
    Arrays.sort(sorted, Comparator.comparingDouble((Integer i) -> -capacity[i] / power[i].maxWatts()).thenComparingInt(i -> i));
    order = Arrays.stream(sorted).mapToInt(Integer::intValue).toArray();
  }

  /**
   * Watts to serve {@code demand} (in the unit of {@code capacity}) on the hosts given by their
   * capacities and power models. A demand beyond every host's capacity is served at the least
   * efficient rate for the rest (the bound stays a lower bound of what can be served).
   */
  static double watts(double demand, double[] capacity, PowerModel[] power) {
    return new Bound(capacity, power).watts(demand);
  }

  /** Watts to serve {@code demand} on this data centre's hosts (see the static form). */
  double watts(double demand) {
    double left = demand;
    double watts = 0;
    for (int i : order) {
      if (left <= 0) {
        break;
      }
      double served = Math.min(left, capacity[i]);
      watts += served / capacity[i] * power[i].maxWatts();
      left -= served;
    }
    if (left > 0) {
      int worst = order[order.length - 1];
      watts += left / capacity[worst] * power[worst].maxWatts();
    }
    return watts;
  }
}
