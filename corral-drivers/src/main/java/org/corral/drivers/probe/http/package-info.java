/**
 * The HTTP(S) status probe: {@code http://host:port/path?expect=200-399}, sent with the JDK's
 * {@link java.net.http.HttpClient}; healthy when the status is in the expected set.
 */
@NullMarked
package org.corral.drivers.probe.http;

import org.jspecify.annotations.NullMarked;
