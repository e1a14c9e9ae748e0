/**
 * The executor: the only code that acts. It takes plans from any loop or user request, records
 * each action durably before acting (its idempotency ledger), re-checks preconditions against the
 * current state just before it runs (a stale action is rejected with its reason, not forced),
 * enforces concurrency limits, timeouts and retries with backoff on the injected clock, and
 * journals every step with its cause. One {@link org.corral.controller.executor.Step} class per
 * kind of action holds what that action means.
 */
@NullMarked
package org.corral.controller.executor;

import org.jspecify.annotations.NullMarked;
