/**
 * Judgements of health from observations: pure functions of what the Monitor saw (a
 * {@link org.corral.model.snapshot.HostObservation}), never of drivers. The Monitor observes and
 * applies; the rules live here.
 */
@NullMarked
package org.corral.policy.health;

import org.jspecify.annotations.NullMarked;
