/** Virtual networks and their pools of IP/MAC leases. */
@NullMarked
package org.corral.model.network;

import org.jspecify.annotations.NullMarked;
