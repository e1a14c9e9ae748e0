package org.corral.model.cluster;

/** What the user asked of a cluster. */
public enum ClusterDesire {
  /** Members created, started and kept (apply, start). */
  RUNNING,
  /** onStop hooks run, members stopped but kept (stop). */
  STOPPED,
  /** onStop hooks run, members stopped and deleted; the cluster is forgotten once none is left (delete). */
  DELETED
}
