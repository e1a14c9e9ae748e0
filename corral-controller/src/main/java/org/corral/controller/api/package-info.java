/**
 * The REST API (Javalin, JSON, problem+json errors), the server-sent event stream of the journal,
 * the OpenAPI document and Prometheus metrics. Handlers only translate HTTP to controller calls:
 * reads and commands run on the controller's loop through {@link org.corral.controller.Controller#call}.
 */
@NullMarked
package org.corral.controller.api;

import org.jspecify.annotations.NullMarked;
