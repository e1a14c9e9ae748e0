/** Virtual machines: specs as users declare them, the VM state machine, NIC leases. */
@NullMarked
package org.corral.model.vm;

import org.jspecify.annotations.NullMarked;
