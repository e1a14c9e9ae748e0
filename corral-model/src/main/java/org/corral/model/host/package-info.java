/** Physical hosts: capacity, labels, power control and model, and the host state machine. */
package org.corral.model.host;
