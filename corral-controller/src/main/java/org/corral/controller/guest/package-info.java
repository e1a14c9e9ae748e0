/**
 * Talking to what runs inside VMs, for whichever loop or step needs it: a VM's guest-exec target
 * on its host, and its service checks and service start/stop/restart through guest exec or a
 * probe ({@link org.corral.controller.guest.ServiceChecks}). No state of its own and no decision:
 * the service loop, the guest-agent heartbeats, the cluster reconciler and the executor's
 * service step use it.
 */
@NullMarked
package org.corral.controller.guest;

import org.jspecify.annotations.NullMarked;
