/**
 * Trace-driven simulation on virtual time: a model of a data centre (a preset) that, each
 * interval, builds a {@link org.corral.model.snapshot.Snapshot} from its state, asks Corral's own
 * {@link org.corral.policy.consolidation.Consolidation} for a plan through a
 * {@link org.corral.model.plan.RecordingPlanner}, and applies the plan to itself; the published
 * metrics ({@link org.corral.sim.Metric}) are kept by a {@link org.corral.sim.Ledger}.
 */
@NullMarked
package org.corral.sim;

import org.jspecify.annotations.NullMarked;
