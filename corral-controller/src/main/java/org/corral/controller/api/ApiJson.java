package org.corral.controller.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.corral.controller.store.Json;

/**
 * The API's JSON: the store's mapper for output; input is read strictly (unknown fields are
 * errors, so that a typo in a request is not silently ignored).
 *
 * <p>FAIL_ON_NULL_FOR_PRIMITIVES stays off: for records Jackson treats a missing field like null,
 * so it would reject optional primitives that the contract allows to be left out (a disk's
 * {@code sizeGib}, an image's {@code shared}). A left-out primitive is 0/false, and the model's
 * own validation rejects a 0 where 0 is not allowed (an image's sizeGib, a host's cores).
 */
final class ApiJson {
  static final ObjectMapper OUT = Json.mapper();
  static final ObjectMapper IN = strict(Json.mapper().copy());

  /** The body of a route that takes none: {@code {}} is accepted, any field is unknown. */
  record NoBody() {}

  private ApiJson() {}

  private static ObjectMapper strict(ObjectMapper m) {
    m.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        // "{...} {...}" is not one JSON value: without this the first object was used, the rest ignored.
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        // "cpus": 1.5 is a mistake, not 1 vCPU.
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    // "cpus": "2" and "name": 2147483648 or true are mistakes too: no silent coercion between
    // strings, numbers and booleans in either direction.
    for (LogicalType t : new LogicalType[] {LogicalType.Textual, LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
      m.coercionConfigFor(t)
          .setCoercion(CoercionInputShape.Integer, t == LogicalType.Integer || t == LogicalType.Float ? CoercionAction.TryConvert : CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Float, t == LogicalType.Float ? CoercionAction.TryConvert : CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Boolean, t == LogicalType.Boolean ? CoercionAction.TryConvert : CoercionAction.Fail)
          .setCoercion(CoercionInputShape.String, t == LogicalType.Textual ? CoercionAction.TryConvert : CoercionAction.Fail)
          .setCoercion(CoercionInputShape.EmptyString, t == LogicalType.Textual ? CoercionAction.TryConvert : CoercionAction.Fail);
    }
    // Request bodies nest a few levels; a deeply nested document is an attack on the parser's stack.
    m.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build());
    return m;
  }

  static String write(Object o) {
    try {
      return OUT.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static <T> T read(String body, Class<T> type) {
    if (body == null || body.isBlank()) {
      throw new org.corral.model.InvalidInputException("body", "is empty", "send a JSON object (see /api/v1/openapi.json)");
    }
    T value;
    try {
      value = IN.readValue(body, type);
    } catch (JsonProcessingException e) {
      // A model record's own validation (e.g. a bad CIDR) surfaces wrapped by Jackson.
      for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
        if (c instanceof org.corral.model.InvalidInputException i) {
          throw i;
        }
      }
      throw Problems.fromJson(e);
    }
    if (value == null) {
      // The JSON literal null: every handler expects an object, and would otherwise fail with a 500.
      throw new org.corral.model.InvalidInputException("body", "is null", "send a JSON object (see /api/v1/openapi.json)");
    }
    return value;
  }
}
