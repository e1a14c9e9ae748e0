/**
 * The client side of Corral's REST API (docs/api.md): one HTTP client over java.net.http, the
 * problem+json errors it turns into exceptions, and the reader for the server-sent event
 * stream. Nothing here prints or knows about commands; it speaks JSON trees so that
 * {@code --output json} can show the server's answer exactly as it came.
 */
@NullMarked
package org.corral.cli.api;

import org.jspecify.annotations.NullMarked;
