/** Physical hosts: capacity, labels, power control and model, and the host state machine. */
@NullMarked
package org.corral.model.host;

import org.jspecify.annotations.NullMarked;
