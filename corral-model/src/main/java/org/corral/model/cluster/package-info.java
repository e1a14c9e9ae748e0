/**
 * Virtual clusters (docs/virtual-clusters.md): a distributed system declared once as a
 * {@link ClusterSpec} (host pool, default template, roles with counts, dependencies, checks and
 * hooks), and the {@link Cluster} record the controller keeps for it (what is wanted, its
 * conditions and history). Structural validation lives here; checks against the world (hosts,
 * expressions) live in corral-policy's {@code policy.cluster}.
 */
@NullMarked
package org.corral.model.cluster;

import org.jspecify.annotations.NullMarked;
