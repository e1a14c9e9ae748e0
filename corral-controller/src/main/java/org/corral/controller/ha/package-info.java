/**
 * Controller high availability: controllers sharing one PostgreSQL database elect one leader
 * through a lease row, and the leader's writes carry its epoch as a fencing token.
 */
@NullMarked
package org.corral.controller.ha;

import org.jspecify.annotations.NullMarked;
