/** Immutable views of the whole system that decisions are made on. */
@NullMarked
package org.corral.model.snapshot;

import org.jspecify.annotations.NullMarked;
