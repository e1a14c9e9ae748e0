package org.corral.model.vm;

/** What the user asked for; loops converge the observed {@link VmState} towards it. */
public enum DesiredState {
  RUNNING, STOPPED, DELETED
}
