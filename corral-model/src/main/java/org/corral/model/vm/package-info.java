/** Virtual machines: specs as users declare them, the VM state machine, NIC leases. */
package org.corral.model.vm;
