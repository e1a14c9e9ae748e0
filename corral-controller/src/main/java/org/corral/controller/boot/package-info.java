/**
 * Putting one Corral together from a {@link org.corral.controller.config.CorralConfig}: store,
 * drivers (and the simulated lab when configured), controller, inventory, API. `corral up` calls
 * {@link org.corral.controller.boot.CorralServer#run}; tests build a
 * {@link org.corral.controller.boot.CorralRuntime} directly.
 */
@NullMarked
package org.corral.controller.boot;

import org.jspecify.annotations.NullMarked;
