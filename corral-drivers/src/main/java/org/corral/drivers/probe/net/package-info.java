/**
 * Network reachability probes: {@code icmp://host} (echo via InetAddress.isReachable) and
 * {@code tcp://host:port} (a TCP connect). Unhealthy targets are results, never failures.
 */
@NullMarked
package org.corral.drivers.probe.net;

import org.jspecify.annotations.NullMarked;
