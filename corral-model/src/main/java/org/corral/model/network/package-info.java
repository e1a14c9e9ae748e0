/** Virtual networks and their pools of IP/MAC leases. */
package org.corral.model.network;
