/** The probe SPI: is a host or service alive (ICMP, TCP, HTTP, exec over SSH)? */
package org.corral.drivers.probe;
