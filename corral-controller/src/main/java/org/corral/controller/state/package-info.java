/**
 * The controller's authoritative state in memory, written through to the store. Every mutation
 * is one atomic batch (the new records plus their journal entries) written before memory is
 * touched, so a failed write changes nothing and a crash never separates a change from its
 * journal entry. Owned by the controller's loop: not thread-safe by design.
 */
@NullMarked
package org.corral.controller.state;

import org.jspecify.annotations.NullMarked;
