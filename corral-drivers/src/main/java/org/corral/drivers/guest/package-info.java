/** The guest-exec SPI: run a command inside a VM (SSH, QEMU guest agent, simulated). */
@NullMarked
package org.corral.drivers.guest;

import org.jspecify.annotations.NullMarked;
