/** The guest-exec SPI: run a command inside a VM (SSH, QEMU guest agent, simulated). */
package org.corral.drivers.guest;
