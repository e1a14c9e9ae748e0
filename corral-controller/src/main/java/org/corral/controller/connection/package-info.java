/**
 * Live hypervisor connections to hosts, shared by the Monitor (observes) and the Executor (acts),
 * and helpers for async driver calls on the controller's loop (timeouts on the injected clock).
 */
@NullMarked
package org.corral.controller.connection;

import org.jspecify.annotations.NullMarked;
