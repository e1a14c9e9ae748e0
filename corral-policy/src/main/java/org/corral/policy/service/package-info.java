/**
 * Service checks inside VMs (docs/high-availability.md, "Service checks"): what to do about a
 * service whose checks fail ({@link ServiceEscalation}: restart the service, the VM, recreate it
 * elsewhere, give up; pause when it flaps) and in which order a VM's services start and restart
 * ({@link ServiceOrder}). Pure functions of what was observed and when; nothing here runs a check.
 */
@NullMarked
package org.corral.policy.service;

import org.jspecify.annotations.NullMarked;
