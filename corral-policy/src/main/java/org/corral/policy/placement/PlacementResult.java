package org.corral.policy.placement;

import java.util.List;

/**
 * The outcome of one {@link Scheduler#place} call: every input VM is in exactly one of the lists.
 *
 * @param placements where each placed VM goes, in the order the VMs were given
 * @param unplaced   a report for each VM no host could take, in input order
 */
public record PlacementResult(List<Placement> placements, List<PlacementReport> unplaced) {
  public PlacementResult {
    placements = List.copyOf(placements);
    unplaced = List.copyOf(unplaced);
  }
}
