/** The power SPI: switch hosts on and off (IPMI, Wake-on-LAN, SSH, simulated). */
package org.corral.drivers.power;
