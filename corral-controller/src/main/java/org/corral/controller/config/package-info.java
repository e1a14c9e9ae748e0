/**
 * corral.yaml: controller settings, the store, the API address, the inventory (hosts, networks,
 * images) and an optional simulated lab. Read strictly: an unknown key, a wrong type or a bad
 * value is an error naming the field path (e.g. {@code hosts[2].power.on}) and the fix.
 */
@NullMarked
package org.corral.controller.config;

import org.jspecify.annotations.NullMarked;
