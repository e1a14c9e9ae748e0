package org.corral.drivers.power;

import org.jspecify.annotations.Nullable;

/**
 * The host to act on and how to reach its power control.
 *
 * @param host name of the host in Corral (for messages)
 * @param uri  e.g. {@code ipmi://admin@10.0.0.11:623?interface=lan&passwordFile=/etc/corral/bmc.pass},
 *             {@code wol://192.168.1.255:9}, {@code ssh://root@node1:22?command=poweroff}
 * @param mac  the Wake-on-LAN MAC, or null
 */
public record PowerTarget(String host, String uri, @Nullable String mac) {}
