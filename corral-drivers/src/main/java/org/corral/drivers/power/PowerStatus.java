package org.corral.drivers.power;

/** A host's power as its controller reports it. */
public enum PowerStatus {
  ON, OFF, UNKNOWN
}
