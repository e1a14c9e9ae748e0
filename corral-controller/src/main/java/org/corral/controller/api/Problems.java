package org.corral.controller.api;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import org.corral.model.CorralException;
import org.corral.model.InvalidInputException;

/** Errors as RFC 9457 problem+json with a stable type per kind of error. */
final class Problems {
  static final String BASE = "https://corral.dev/problems/";

  private Problems() {}

  static void write(Context ctx, int status, String type, String title, String detail, String field) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", BASE + type);
    body.put("title", title);
    body.put("status", status);
    body.put("detail", detail);
    if (field != null) {
      body.put("field", field);
    }
    ctx.status(status).contentType("application/problem+json").result(ApiJson.write(body));
  }

  static void of(Context ctx, CorralException e) {
    switch (e) {
      case InvalidInputException i -> write(ctx, 400, i.problemType(), "Invalid input", i.getMessage(), i.field());
      case org.corral.model.NotFoundException n -> write(ctx, 404, n.problemType(), "Not found", n.getMessage(), null);
      case org.corral.model.ConflictException c -> write(ctx, 409, c.problemType(),
          c instanceof org.corral.model.IllegalTransitionException ? "Illegal transition" : "Conflict", c.getMessage(), null);
    }
  }

  /** Malformed JSON or a value of the wrong type: names the JSON path of the field. */
  static InvalidInputException fromJson(JsonProcessingException e) {
    String field = "body";
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      StringBuilder sb = new StringBuilder();
      for (JsonMappingException.Reference r : m.getPath()) {
        if (r.getFieldName() != null) {
          if (!sb.isEmpty()) {
            sb.append('.');
          }
          sb.append(r.getFieldName());
        } else if (r.getIndex() >= 0) {
          sb.append('[').append(r.getIndex()).append(']');
        }
      }
      field = sb.toString();
    }
    String msg = e.getOriginalMessage();
    if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException u) {
      return new InvalidInputException(field, "is not a known field", "known fields: " + u.getKnownPropertyIds());
    }
    if (msg != null && msg.contains("\n")) {
      msg = msg.substring(0, msg.indexOf('\n'));
    }
    return new InvalidInputException(field, "cannot be read: " + msg, "send valid JSON matching docs/api.md");
  }
}
