/**
 * The controller's loops, each on the injected clock, each level-triggered: every cycle compares
 * what is desired with what is observed and converges, and events only make a cycle come sooner.
 *
 * <ul>
 *   <li>{@link org.corral.controller.loop.Monitor}: reads every host's hypervisor, keeps host and
 *       VM states true to what it sees, adopts unknown domains, keeps utilisation windows.</li>
 *   <li>{@link org.corral.controller.loop.SchedulingLoop}: places PENDING VMs (pure
 *       {@code Scheduler} on a snapshot → plan → executor).</li>
 *   <li>Places kept for later loops, each a {@link org.corral.controller.loop.Loop} with the same
 *       shape (snapshot → pure policy in corral-policy → plan → executor): the Optimizer
 *       (consolidation and host power), the Guardian (failure detection, fencing, VM and service
 *       recovery) and the Cluster reconciler (virtual clusters).</li>
 * </ul>
 */
@NullMarked
package org.corral.controller.loop;

import org.jspecify.annotations.NullMarked;
