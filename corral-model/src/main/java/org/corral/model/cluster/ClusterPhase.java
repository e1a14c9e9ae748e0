package org.corral.model.cluster;

/** Where a cluster or one of its roles stands; always shown with a reason ({@link Condition}). */
public enum ClusterPhase {
  /** Accepted, nothing created yet. */
  PENDING,
  /** Creating members and running their hooks, roles in dependency order. */
  DEPLOYING,
  /** Every role has its wanted members, ready, their hooks done. */
  RUNNING,
  /** Adding or draining members after a change of the wanted counts. */
  SCALING,
  /** Elasticity waits out a rule's cool-down after scaling. */
  COOLDOWN,
  /** Running with a role below its wanted count or min, or a hook that failed: the reason says which. */
  DEGRADED,
  /** Running onStop hooks and stopping (or deleting) members, roles in reverse dependency order. */
  UNDEPLOYING,
  /** Stopped (members kept) or deleted (members gone), as asked. */
  DONE,
  /** A role never became ready: its members failed or its hooks failed every retry. */
  FAILED_DEPLOY,
  /** An onStop hook failed every retry; the members were stopped anyway. */
  FAILED_UNDEPLOY
}
