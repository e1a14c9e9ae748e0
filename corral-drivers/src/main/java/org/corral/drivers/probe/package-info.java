/** The probe SPI: is a host or service alive (ICMP, TCP, HTTP, exec over SSH)? */
@NullMarked
package org.corral.drivers.probe;

import org.jspecify.annotations.NullMarked;
