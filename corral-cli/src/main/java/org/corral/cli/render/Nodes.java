package org.corral.cli.render;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** Null-safe reads from the API's JSON: a missing field is null, never an exception. */
public final class Nodes {
  private Nodes() {}

  /** The node at {@code path} under {@code node}, or null when any step is missing or null. */
  public static @Nullable JsonNode at(@Nullable JsonNode node, String... path) {
    JsonNode n = node;
    for (String p : path) {
      if (n == null || n.isNull() || n.isMissingNode()) {
        return null;
      }
      n = n.get(p);
    }
    return n == null || n.isNull() || n.isMissingNode() ? null : n;
  }

  public static @Nullable String text(@Nullable JsonNode node, String... path) {
    JsonNode n = at(node, path);
    return n == null ? null : n.asText();
  }

  public static @Nullable Long whole(@Nullable JsonNode node, String... path) {
    JsonNode n = at(node, path);
    return n == null || !n.isNumber() ? null : n.asLong();
  }

  public static @Nullable Double decimal(@Nullable JsonNode node, String... path) {
    JsonNode n = at(node, path);
    return n == null || !n.isNumber() ? null : n.asDouble();
  }

  public static boolean flag(@Nullable JsonNode node, String... path) {
    JsonNode n = at(node, path);
    return n != null && n.asBoolean();
  }

  /** ", now STATE" from a view's {@code state}, or "" when the answer carried none (e.g. 204). */
  public static String nowIn(@Nullable JsonNode view) {
    String state = text(view, "state");
    return state == null ? "" : ", now " + state;
  }

  /** An object of strings as "k=v,k2=v2", sorted by key; null when empty. */
  public static @Nullable String labels(@Nullable JsonNode node, String... path) {
    JsonNode n = at(node, path);
    if (n == null || !n.isObject() || n.isEmpty()) {
      return null;
    }
    Map<String, String> sorted = new TreeMap<>();
    n.properties().forEach(e -> sorted.put(e.getKey(), e.getValue().asText()));
    StringJoiner j = new StringJoiner(",");
    sorted.forEach((k, v) -> j.add(k + "=" + v));
    return j.toString();
  }
}
