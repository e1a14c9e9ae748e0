/**
 * Service scripts run over SSH ({@code exec+ssh://user@host:port/path/to/script?args=...}),
 * following the service-script contract: no verb checks health (exit 0 = healthy), and
 * {@code start}, {@code stop}, {@code restart} act on the service.
 */
@NullMarked
package org.corral.drivers.probe.ssh;

import org.jspecify.annotations.NullMarked;
