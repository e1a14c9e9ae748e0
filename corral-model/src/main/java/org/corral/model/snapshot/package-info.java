/** Immutable views of the whole system that decisions are made on. */
package org.corral.model.snapshot;
