package org.corral.model.host;

import org.corral.model.StateMachine;

/**
 * Life cycle of a physical host. Only {@link #UP} hosts take new VMs.
 *
 * <pre>
 *  UP ⇄ SUSPECT → DOWN → FENCING → FENCED → POWERING_ON
 *  UP → MAINTENANCE | DRAINING → POWERING_OFF → OFF → POWERING_ON → UP
 *  any → ERROR (driver cannot reach it; reason kept) → UP once it answers again
 * </pre>
 */
public enum HostState {
  UP, SUSPECT, DOWN, FENCING, FENCED, MAINTENANCE, DRAINING, POWERING_OFF, OFF, POWERING_ON, ERROR;

  public static final StateMachine<HostState> MACHINE = StateMachine.builder("host", HostState.class)
      .from(UP, SUSPECT, DOWN, MAINTENANCE, DRAINING, POWERING_OFF)
      .from(SUSPECT, UP, DOWN)
      .from(DOWN, UP, FENCING, POWERING_ON)
      .from(FENCING, FENCED, DOWN)
      .from(FENCED, POWERING_ON, MAINTENANCE)
      .from(MAINTENANCE, UP, POWERING_OFF, DRAINING)
      .from(DRAINING, UP, MAINTENANCE, POWERING_OFF)
      .from(POWERING_OFF, OFF, UP)
      .from(OFF, POWERING_ON, MAINTENANCE)
      .from(POWERING_ON, UP, OFF)
      .from(ERROR, UP, DOWN, OFF, MAINTENANCE, POWERING_ON)
      .fromAllBut(ERROR)
      .build();

  /** True when the scheduler may place new VMs here. */
  public boolean acceptsVms() {
    return this == UP;
  }

  /**
   * True when the Monitor reads this host's hypervisor each cycle. Power transitions are watched
   * by the executor; OFF and FENCED hosts are not expected to answer.
   */
  public boolean polledByMonitor() {
    return switch (this) {
      case UP, SUSPECT, DOWN, MAINTENANCE, DRAINING, ERROR -> true;
      case FENCING, FENCED, POWERING_OFF, OFF, POWERING_ON -> false;
    };
  }

  /** True when the hypervisor is expected to answer (the Monitor polls it). */
  public boolean expectedReachable() {
    return switch (this) {
      case UP, SUSPECT, MAINTENANCE, DRAINING, POWERING_OFF, ERROR -> true;
      case DOWN, FENCING, FENCED, OFF, POWERING_ON -> false;
    };
  }
}
