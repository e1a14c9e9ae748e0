/**
 * Virtual clusters' decisions (docs/virtual-clusters.md), pure functions of a spec, a
 * {@link org.corral.model.snapshot.Snapshot} and what was observed of the members (readiness,
 * hook results): {@link ClusterChecks} (a spec against the world: hosts, CEL, sizes) and
 * {@link ClusterPolicy} (which members to create, which hooks to run, which members to drain and
 * delete, and the cluster's condition). The controller's reconciler loop applies and plans.
 */
@NullMarked
package org.corral.policy.cluster;

import org.jspecify.annotations.NullMarked;
