/**
 * IPMI power control through the {@code ipmitool} program (Debian package {@code ipmitool}):
 * parsing {@code ipmi://} targets, building ipmitool's argument list, running it under a hard
 * timeout and mapping its failures to {@link org.corral.drivers.DriverException.Kind}s. The BMC
 * password reaches ipmitool only through a file ({@code -f}) or its environment ({@code -E}),
 * never through its command line, which other users can read in {@code ps}.
 */
@NullMarked
package org.corral.drivers.power.ipmi;

import org.jspecify.annotations.NullMarked;
