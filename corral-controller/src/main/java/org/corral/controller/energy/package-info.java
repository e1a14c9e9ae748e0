/**
 * Energy accounting: each host's power as its power controller measures it where it reports it
 * (IPMI DCMI), else from its model at its measured utilisation (its standby draw when it is off),
 * integrated on the injected clock into counters per host, with the
 * everything-on baseline beside them so that the saving can be stated. Counters are written to the
 * store's meta data once a minute, so they survive a restart.
 */
@NullMarked
package org.corral.controller.energy;

import org.jspecify.annotations.NullMarked;
