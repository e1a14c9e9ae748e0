/** Running commands inside VMs over SSH ({@code ssh://root@10.0.0.5:22}), with the shared client. */
@NullMarked
package org.corral.drivers.guest.ssh;

import org.jspecify.annotations.NullMarked;
