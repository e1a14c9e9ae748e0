package org.corral.policy.placement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns a scan's rejection counts into the {@link PlacementReport} the user reads. */
final class UnplacedReports {
  static final String INVALID_REQUIREMENTS = "invalid-requirements";
  static final String INVALID_RANK = "invalid-rank";

  private UnplacedReports() {}

  static PlacementReport fromScan(PlacementState state, Pipeline pipeline, Candidate vm, int[] rejections) {
    if (state.size == 0) {
      return new PlacementReport(vm.name(), "no host fits: there are no hosts", Map.of());
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    List<Integer> order = new ArrayList<>();
    for (int f = 0; f < rejections.length; f++) {
      if (rejections[f] > 0) {
        counts.put(pipeline.filters().get(f).reason(), rejections[f]);
        order.add(f);
      }
    }
    // Biggest obstacle first; equal counts keep the pipeline's order.
    order.sort(Comparator.comparingInt((Integer f) -> -rejections[f]));
    StringBuilder summary = new StringBuilder("no host fits: ");
    for (int i = 0; i < order.size(); i++) {
      int f = order.get(i);
      summary.append(i == 0 ? "" : ", ").append(pipeline.filters().get(f).explain(rejections[f], state, vm));
    }
    return new PlacementReport(vm.name(), summary.toString(), counts);
  }

  /** The VM's own expression is unusable: no host was even considered. */
  static PlacementReport invalidExpression(PlacementState state, String vm, String reason, String message) {
    return new PlacementReport(vm, "cannot be placed: " + message, Map.of(reason, state.size));
  }
}
