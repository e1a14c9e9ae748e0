package org.corral.controller.api;

import java.util.Map;

/**
 * A request refused for a reason of HTTP rather than of Corral's model (wrong method, media type,
 * origin, size): answered as problem+json with {@code status} and the stable {@code type}.
 *
 * @param headers extra response headers, e.g. {@code Allow} with a 405
 */
final class HttpProblem extends RuntimeException {
  final int status;
  final String type;
  final String title;
  final Map<String, String> headers;

  HttpProblem(int status, String type, String title, String detail) {
    this(status, type, title, detail, Map.of());
  }

  HttpProblem(int status, String type, String title, String detail, Map<String, String> headers) {
    super(detail, null, false, false);
    this.status = status;
    this.type = type;
    this.title = title;
    this.headers = headers;
  }
}
