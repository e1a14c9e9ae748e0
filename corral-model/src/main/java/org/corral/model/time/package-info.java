/**
 * The injected clock. Every loop, timeout and backoff in Corral reads time and schedules work
 * only through {@link org.corral.model.time.Clock}; tests and simulations use
 * {@link org.corral.model.time.VirtualClock} and advance it explicitly.
 */
@NullMarked
package org.corral.model.time;

import org.jspecify.annotations.NullMarked;
