/**
 * Wake-on-LAN: build the magic packet for a MAC address and broadcast it over UDP
 * ({@code wol://<broadcast address>[:port]}). Switching on only; a host woken this way is
 * switched off through another driver (usually {@code ssh://}) named in {@code PowerSpec.off}.
 */
@NullMarked
package org.corral.drivers.power.wol;

import org.jspecify.annotations.NullMarked;
