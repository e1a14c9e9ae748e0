package org.corral.policy.consolidation;

import java.util.List;
import java.util.Optional;

/**
 * Chooses which VM leaves a host that must be relieved. Pure; any randomness comes from
 * {@code seed} (derived from the snapshot), so a decision replays exactly.
 */
public interface VmSelector {
  /** The registry name, e.g. "mmt". */
  String name();

  /**
   * One of {@code candidates} (in the host's order), or empty when none may go.
   *
   * @param seed for a random choice; the same seed gives the same answer
   */
  Optional<VmLoad> select(List<VmLoad> candidates, long seed);
}
