package org.corral.policy.placement;

import java.util.function.Supplier;

/**
 * Ranks a host that passed every filter; the highest score wins and ties go to the host whose
 * name sorts first. Built-in scorers return [0, 1]; {@link CustomRankScorer} returns the user's
 * rank unchanged (any finite number) since squeezing it into [0, 1] would lose its order.
 */
interface HostScorer {
  /**
   * Weight of a scorer's secondary criterion. Small enough that it only breaks ties of the
   * primary one (primary steps are at least 1/memory-in-MiB, far above 1e-9 for any host under
   * a PiB), which keeps each score a single number.
   */
  double TIE_BREAK = 1e-9;

  /** Short name for the deploy cause, e.g. "PACKING". */
  String name();

  double score(PlacementState state, int host, Candidate vm);

  /**
   * A few words on why this host scored as it did, for the action's cause. The numbers are read
   * now (the state moves on with the next placement); the text is formatted only if someone asks,
   * since most decisions are never read by a person.
   */
  Supplier<String> why(PlacementState state, int host, Candidate vm);
}
