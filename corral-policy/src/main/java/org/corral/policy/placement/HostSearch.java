package org.corral.policy.placement;

import java.util.BitSet;

/**
 * Finds the best feasible host for one VM: highest score, ties to the first name. Two ways that
 * must agree (a property test checks it): {@link #scan}, which visits every host and counts
 * rejections, and {@link #indexed}, which walks a {@link HostIndex}.
 */
final class HostSearch {
  static final int NONE = -1;

  private HostSearch() {}

  /**
   * Visits every host; adds each rejected host to {@code rejections[filter]} (under the first
   * filter that rejects it). Returns the winner or {@link #NONE}.
   */
  static int scan(PlacementState state, Pipeline pipeline, Candidate vm, int[] rejections) {
    int best = NONE;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int h = 0; h < state.size; h++) {
      int rejectedBy = pipeline.firstRejection(state, h, vm);
      if (rejectedBy >= 0) {
        rejections[rejectedBy]++;
        continue;
      }
      double score = pipeline.scorer().score(state, h, vm);
      // Strictly greater: hosts come in name order, so an equal score keeps the earlier name.
      if (best == NONE || score > bestScore) {
        best = h;
        bestScore = score;
      }
    }
    return best;
  }

  /** The same answer as {@link #scan} (without counts), looking at far fewer hosts. */
  static int indexed(PlacementState state, Pipeline pipeline, HostIndex index, Candidate vm) {
    BitSet members = state.affinityHosts(vm.affinityGroup());
    if (members != null) {
      // Affinity pins the VM to the few hosts holding its group: score just those.
      return among(state, pipeline, vm, members);
    }
    int best = NONE;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (Iterable<Integer> walk : index.walks(vm)) {
      for (Integer boxed : walk) {
        int h = boxed;
        if (pipeline.firstRejection(state, h, vm) >= 0) {
          continue;
        }
        double score = pipeline.scorer().score(state, h, vm);
        if (best == NONE || score > bestScore || (score == bestScore && h < best)) {
          best = h;
          bestScore = score;
        }
        break; // the first feasible host of a capacity group is that group's best
      }
    }
    return best;
  }

  private static int among(PlacementState state, Pipeline pipeline, Candidate vm, BitSet hosts) {
    int best = NONE;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int h = hosts.nextSetBit(0); h >= 0; h = hosts.nextSetBit(h + 1)) {
      if (pipeline.firstRejection(state, h, vm) >= 0) {
        continue;
      }
      double score = pipeline.scorer().score(state, h, vm);
      if (best == NONE || score > bestScore) {
        best = h;
        bestScore = score;
      }
    }
    return best;
  }
}
