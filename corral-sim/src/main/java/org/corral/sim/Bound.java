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
  private Bound() {}

  /**
   * Watts to serve {@code demand} (in the unit of {@code capacity}) on the hosts given by their
   * capacities and power models. A demand beyond every host's capacity is served at the least
   * efficient rate for the rest (the bound stays a lower bound of what can be served).
   */
  static double watts(double demand, double[] capacity, PowerModel[] power) {
    Integer[] order = new Integer[capacity.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -capacity[i] / power[i].maxWatts()).thenComparingInt(i -> i));
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
