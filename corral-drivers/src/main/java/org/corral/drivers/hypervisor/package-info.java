/** The hypervisor SPI: connect to a host by URI, observe its domains and statistics, act on domains. */
@NullMarked
package org.corral.drivers.hypervisor;

import org.jspecify.annotations.NullMarked;
