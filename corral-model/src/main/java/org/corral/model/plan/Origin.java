package org.corral.model.plan;

/** Who caused an action or state change. */
public enum Origin {
  USER, SCHEDULER, MONITOR, OPTIMIZER, GUARDIAN, CLUSTER, RECOVERY, EXECUTOR, SIMULATOR
}
