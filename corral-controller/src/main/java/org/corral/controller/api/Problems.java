package org.corral.controller.api;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import org.corral.model.CorralException;
import org.corral.model.InvalidInputException;
import org.jspecify.annotations.Nullable;

/** Errors as RFC 9457 problem+json with a stable type per kind of error. */
final class Problems {
  static final String BASE = "https://corral.dev/problems/";
  static final String CONTENT_TYPE = "application/problem+json;charset=utf-8";
  /** A detail longer than this is cut: a message names a value, it does not echo an upload. */
  static final int MAX_DETAIL = 2000;

  private Problems() {}

  static void write(Context ctx, int status, String type, String title, @Nullable String detail, @Nullable String field) {
    ctx.status(status).contentType(CONTENT_TYPE).result(json(status, type, title, detail, field));
  }

  static void write(Context ctx, HttpProblem p) {
    p.headers.forEach(ctx::header);
    write(ctx, p.status, p.type, p.title, p.getMessage(), null);
  }

  /** The problem type of an HTTP-level refusal by its status (Jetty's and Javalin's own). */
  static String typeFor(int status) {
    return switch (status) {
      case 404 -> "not-found";
      case 405 -> "method-not-allowed";
      case 408 -> "request-timeout";
      case 413 -> "payload-too-large";
      case 414 -> "uri-too-long";
      case 415 -> "unsupported-media-type";
      case 431 -> "headers-too-large";
      default -> status >= 500 ? "internal" : "bad-request";
    };
  }

  static String json(int status, String type, String title, @Nullable String detail, @Nullable String field) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", BASE + type);
    body.put("title", title);
    body.put("status", status);
    body.put("detail", detail != null && detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) + "…" : detail);
    if (field != null) {
      body.put("field", field.length() > 200 ? field.substring(0, 200) + "…" : field);
    }
    return ApiJson.write(body);
  }

  static void of(Context ctx, CorralException e) {
    switch (e) {
      case InvalidInputException i -> write(ctx, 400, i.problemType(), "Invalid input", i.getMessage(), i.field());
      case org.corral.model.NotFoundException n -> write(ctx, 404, n.problemType(), "Not found", n.getMessage(), null);
      case org.corral.model.AccessDeniedException a -> {
        switch (a.reason()) {
          case UNAUTHENTICATED -> ctx.header("WWW-Authenticate", "Bearer realm=\"corral\"");
          case TOO_MANY_ATTEMPTS -> ctx.header("Retry-After", Long.toString(a.retryAfterSeconds()));
          case FORBIDDEN -> { }
        }
        int status = a.reason().status();
        write(ctx, status, a.problemType(), status == 401 ? "Unauthorized" : status == 403 ? "Forbidden" : "Too many requests",
            a.getMessage(), null);
      }
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
      field = sb.length() > InvalidInputException.QUOTED_PREFIX
          ? sb.substring(0, InvalidInputException.QUOTED_PREFIX) + "…" : sb.toString();
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
