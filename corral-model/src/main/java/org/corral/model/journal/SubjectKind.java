package org.corral.model.journal;

/** What kind of object a journal entry is about. */
public enum SubjectKind {
  HOST, VM, NETWORK, IMAGE, CONTROLLER, CLUSTER,
  /** A user, their tokens and quota, or a group (subject {@code group:NAME}). */
  USER
}
