/**
 * Placement: which UP host each pending VM goes to. {@link org.corral.policy.placement.Scheduler}
 * is the entry point; it is pure (snapshot and VMs in, {@link org.corral.policy.placement.PlacementResult}
 * out). Inside, Nomad style: a {@link org.corral.policy.placement.HostFilter} per check (each
 * rejection counted under its reason for the {@link org.corral.policy.placement.PlacementReport}),
 * a {@link org.corral.policy.placement.HostScorer} per policy, and one factory,
 * {@link org.corral.policy.placement.Pipelines}, that wires them in a commented order. For speed
 * (ARCHITECTURE.md "Scale") PACKING and STRIPING walk a per-call {@link org.corral.policy.placement.HostIndex}
 * instead of scanning every host; the scan remains the reference and writes the reports.
 */
@NullMarked
package org.corral.policy.placement;

import org.jspecify.annotations.NullMarked;
