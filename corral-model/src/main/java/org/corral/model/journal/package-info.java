/** The append-only journal: every state change and action, with its cause. */
@NullMarked
package org.corral.model.journal;

import org.jspecify.annotations.NullMarked;
