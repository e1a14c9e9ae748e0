/**
 * The driver SPI and registry. Every call that may block or take time returns a
 * {@link java.util.concurrent.CompletionStage}: real drivers complete it from their own (virtual)
 * threads, the simulated ones from the injected clock. Callers must not assume which thread
 * completes it; the controller hops back onto its loop. Only the executor calls mutating methods;
 * the Monitor calls observing ones.
 */
@NullMarked
package org.corral.drivers;

import org.jspecify.annotations.NullMarked;
