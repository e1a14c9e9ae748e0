package org.corral.model.vm;

import org.corral.model.StateMachine;

/**
 * Life cycle of a VM (the IaaS study's pending, hold, prolog, boot, running, migrate, suspended,
 * stopped, shutdown, epilog, done, with UNKNOWN/RECOVERING/FAILED for high availability).
 *
 * <pre>
 *  PENDING → PROVISIONING → BOOTING → RUNNING ⇄ MIGRATING
 *  RUNNING → STOPPING → STOPPED → BOOTING      RUNNING ⇄ SUSPENDED
 *  PENDING ⇄ HOLD      host unreachable: → UNKNOWN → RECOVERING → BOOTING | PENDING
 *                      (a recovery that failed: RECOVERING → UNKNOWN, tried again)
 *  stopped on its own again: STOPPED → RECOVERING (restarted on another host)
 *  any but DELETED → FAILED (reason kept) and → DELETED
 * </pre>
 */
public enum VmState {
  PENDING, HOLD, PROVISIONING, BOOTING, RUNNING, MIGRATING, SUSPENDED, STOPPING, STOPPED,
  UNKNOWN, RECOVERING, FAILED, DELETED;

  public static final StateMachine<VmState> MACHINE = StateMachine.builder("vm", VmState.class)
      .from(PENDING, HOLD, PROVISIONING)
      .from(HOLD, PENDING)
      // A provisioning failure that left nothing behind sends the VM back to be placed again.
      .from(PROVISIONING, BOOTING, RUNNING, PENDING, STOPPED)
      .from(BOOTING, RUNNING, STOPPING, STOPPED, UNKNOWN)
      .from(RUNNING, MIGRATING, SUSPENDED, STOPPING, STOPPED, UNKNOWN, BOOTING)
      .from(MIGRATING, RUNNING, UNKNOWN, STOPPED)
      .from(SUSPENDED, RUNNING, STOPPING, STOPPED, UNKNOWN)
      .from(STOPPING, STOPPED, RUNNING, UNKNOWN)
      .from(STOPPED, BOOTING, RUNNING, PENDING, UNKNOWN, RECOVERING)
      .from(UNKNOWN, RUNNING, STOPPED, RECOVERING, BOOTING, SUSPENDED)
      .from(RECOVERING, BOOTING, RUNNING, PENDING, UNKNOWN)
      .from(FAILED, PENDING, STOPPED)
      .fromAllBut(FAILED, DELETED)
      .fromAllBut(DELETED)
      .build();

  /** True when the VM holds CPU and memory on its host. */
  public boolean reservesHost() {
    return switch (this) {
      case PROVISIONING, BOOTING, RUNNING, MIGRATING, SUSPENDED, STOPPING, STOPPED, UNKNOWN, RECOVERING -> true;
      case PENDING, HOLD, FAILED, DELETED -> false;
    };
  }

  /** True while an action on the VM is in progress; no other action may start. */
  public boolean isTransient() {
    return switch (this) {
      case PROVISIONING, BOOTING, MIGRATING, STOPPING, RECOVERING -> true;
      default -> false;
    };
  }
}
