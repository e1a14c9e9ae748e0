/**
 * Corral's vocabulary: values, state machines, snapshots, plans and the clock. Nothing here
 * performs I/O or reads the wall clock; every other module depends on this one and this one
 * depends on nothing.
 */
@NullMarked
package org.corral.model;

import org.jspecify.annotations.NullMarked;
