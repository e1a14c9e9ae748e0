/**
 * Switching hosts off over SSH ({@code ssh://root@node1:22?command=...}): the usual partner of
 * Wake-on-LAN for hosts without a BMC. Uses the shared client in {@code org.corral.drivers.ssh}.
 */
@NullMarked
package org.corral.drivers.power.ssh;

import org.jspecify.annotations.NullMarked;
