/**
 * The Guardian's decisions, pure functions of a snapshot and what was observed of each failed
 * host's power controller: whether a host that stopped answering is fenced, waited for or given
 * up as off ({@link Fencing}, a decision table), and where its VMs restart ({@link Recovery},
 * through the scheduler's placements). The Guardian loop (corral-controller) observes, applies and
 * hands the plans to its planner; nothing here calls a driver.
 */
@NullMarked
package org.corral.policy.recovery;

import org.jspecify.annotations.NullMarked;
