package org.corral.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/** Turns an error answer into an {@link ApiProblem}, also when it is not problem+json. */
final class Problems {
  private static final int SHOWN_BODY_CHARS = 200;

  private Problems() {}

  static ApiProblem from(int status, @Nullable String body) {
    JsonNode node = null;
    if (body != null && !body.isBlank()) {
      try {
        node = Json.parse(body, "the error body");
      } catch (BadResponseException notJson) {
        node = null;
      }
    }
    if (node == null || !node.isObject() || !node.hasNonNull("detail")) {
      return new ApiProblem(null, "HTTP " + status, status, fallbackDetail(status, body), null);
    }
    return new ApiProblem(
        text(node, "type"), text(node, "title"), status, node.get("detail").asText(), text(node, "field"));
  }

  private static String fallbackDetail(int status, @Nullable String body) {
    String shown = body == null ? "" : body.strip();
    if (shown.length() > SHOWN_BODY_CHARS) {
      shown = shown.substring(0, SHOWN_BODY_CHARS) + "...";
    }
    return "Corral answered HTTP " + status + (shown.isEmpty() ? "" : ": " + shown);
  }

  private static @Nullable String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
