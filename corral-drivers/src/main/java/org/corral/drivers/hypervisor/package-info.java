/** The hypervisor SPI: connect to a host by URI, observe its domains and statistics, act on domains. */
package org.corral.drivers.hypervisor;
