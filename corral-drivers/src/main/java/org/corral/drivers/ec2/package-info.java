/**
 * The {@code ec2://} hypervisor driver: an EC2-compatible endpoint (AWS, or another Corral's EC2
 * Query API) as one more host, capped per instance type.
 */
@NullMarked
package org.corral.drivers.ec2;

import org.jspecify.annotations.NullMarked;
