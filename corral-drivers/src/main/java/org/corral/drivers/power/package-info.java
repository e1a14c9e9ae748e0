/**
 * The power SPI: switch hosts on and off (IPMI, Wake-on-LAN, SSH, simulated) and, where the power
 * controller can, read the power a host draws ({@link org.corral.drivers.power.PowerReading}).
 */
@NullMarked
package org.corral.drivers.power;

import org.jspecify.annotations.NullMarked;
