package org.corral.policy.placement;

/**
 * One yes-or-no check of a host for a VM (Nomad's feasibility checker). Each implementation
 * checks one thing, names its reason with a constant, and can explain a count of rejections in
 * words for the {@link PlacementReport}.
 */
interface HostFilter {
  /** Stable reason name, e.g. "insufficient-memory"; the key in {@link PlacementReport#rejectedBy()}. */
  String reason();

  boolean accepts(PlacementState state, int host, Candidate vm);

  /** A phrase for the report, e.g. "12 hosts lack memory (needs 8192 MiB, largest free 4096 MiB)". */
  String explain(int rejected, PlacementState state, Candidate vm);

  /** "1 host lacks" / "12 hosts lack": a count with its verb agreeing. */
  static String hosts(int n, String verbForOne, String verbForMany) {
    return n == 1 ? "1 host " + verbForOne : n + " hosts " + verbForMany;
  }
}
