/** The power SPI: switch hosts on and off (IPMI, Wake-on-LAN, SSH, simulated). */
@NullMarked
package org.corral.drivers.power;

import org.jspecify.annotations.NullMarked;
