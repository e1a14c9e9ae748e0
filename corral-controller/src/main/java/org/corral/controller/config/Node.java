package org.corral.controller.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.corral.model.InvalidInputException;
import org.jspecify.annotations.Nullable;

/** A YAML node with its path, and typed getters whose errors name that path. {@code json} is null for an absent section. */
final class Node {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|min|h|d)?");
  final @Nullable JsonNode json;
  final String path;

  Node(@Nullable JsonNode json, String path) {
    this.json = json;
    this.path = path;
  }

  private String at(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  boolean has(String key) {
    return value(key) != null;
  }

  /** The value of {@code key}; null when this node or the key is absent, or the value is null. */
  private @Nullable JsonNode value(String key) {
    JsonNode v = json == null ? null : json.get(key);
    return v == null || v.isNull() ? null : v;
  }

  /** Rejects keys not in {@code allowed}, suggesting the closest one. */
  Node only(String... allowed) {
    if (json == null) {
      return this;
    }
    if (!json.isObject()) {
      throw new InvalidInputException(path.isEmpty() ? "(top level)" : path, "must be a mapping (key: value)", "see examples/corral.yaml");
    }
    Set<String> ok = new TreeSet<>(List.of(allowed));
    Iterator<String> it = json.fieldNames();
    while (it.hasNext()) {
      String k = it.next();
      if (!ok.contains(k)) {
        throw new InvalidInputException(at(k), "is not a known field", "known fields here: " + String.join(", ", ok));
      }
    }
    return this;
  }

  Node child(String key) {
    return new Node(json == null ? null : json.get(key), at(key));
  }

  String str(String key, String dflt) {
    String s = optStr(key);
    return s == null ? dflt : s;
  }

  /** The text of {@code key}, or null when absent. */
  @Nullable String optStr(String key) {
    JsonNode v = value(key);
    if (v == null) {
      return null;
    }
    if (!v.isValueNode()) {
      throw new InvalidInputException(at(key), "must be a text value", "write it on one line, e.g. " + key + ": value");
    }
    return v.asText();
  }

  String requireStr(String key, String example) {
    String s = optStr(key);
    if (s == null || s.isBlank()) {
      throw new InvalidInputException(at(key), "is missing", "add it, e.g. " + key + ": " + example);
    }
    return s;
  }

  long num(String key, long dflt) {
    JsonNode v = value(key);
    if (v == null) {
      return dflt;
    }
    if (!v.isIntegralNumber()) {
      throw new InvalidInputException(at(key), "must be a whole number, got '" + v.asText() + "'", "e.g. " + key + ": " + dflt);
    }
    return v.asLong();
  }

  /** A whole number that fits an int (a count or a limit); larger values are errors, not wrapped. */
  int integer(String key, int dflt) {
    long v = num(key, dflt);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new InvalidInputException(at(key), "must be a whole number up to " + Integer.MAX_VALUE + ", got " + v, "e.g. " + key + ": " + dflt);
    }
    return (int) v;
  }

  double dbl(String key, double dflt) {
    JsonNode v = value(key);
    if (v == null) {
      return dflt;
    }
    if (!v.isNumber()) {
      throw new InvalidInputException(at(key), "must be a number, got '" + v.asText() + "'", "e.g. " + key + ": " + dflt);
    }
    return v.asDouble();
  }

  boolean bool(String key, boolean dflt) {
    JsonNode v = value(key);
    if (v == null) {
      return dflt;
    }
    if (!v.isBoolean()) {
      throw new InvalidInputException(at(key), "must be true or false, got '" + v.asText() + "'", key + ": true");
    }
    return v.asBoolean();
  }

  Duration duration(String key, Duration dflt) {
    Duration d = optDuration(key);
    return d == null ? dflt : d;
  }

  /** The duration of {@code key}, or null when absent. */
  @Nullable Duration optDuration(String key) {
    JsonNode v = value(key);
    return v == null ? null : parseDuration(at(key), v.asText());
  }

  static Duration parseDuration(String field, String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      throw new InvalidInputException(field, InvalidInputException.quote(text) + " is not a duration", "write a number with a unit: 500ms, 10s, 5m, 1h, 30d");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m", "min" -> Duration.ofMinutes(n);
      case "d" -> Duration.ofDays(n);
      default -> Duration.ofHours(n);
    };
  }

  Map<String, String> strings(String key) {
    Map<String, String> out = new LinkedHashMap<>();
    JsonNode v = value(key);
    if (v == null) {
      return out;
    }
    if (!v.isObject()) {
      throw new InvalidInputException(at(key), "must be a mapping of text to text", key + ": {zone: a}");
    }
    v.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  /** A mapping of names to sections ({@code flavours: {small: {...}}}), in the file's order. */
  Map<String, Node> children(String key) {
    Map<String, Node> out = new LinkedHashMap<>();
    JsonNode v = value(key);
    if (v == null) {
      return out;
    }
    if (!v.isObject()) {
      throw new InvalidInputException(at(key), "must be a mapping of names to sections", key + ": {NAME: {...}}");
    }
    v.fields().forEachRemaining(e -> out.put(e.getKey(), new Node(e.getValue(), at(key) + "." + e.getKey())));
    return out;
  }

  List<Node> list(String key) {
    List<Node> out = new ArrayList<>();
    JsonNode v = value(key);
    if (v == null) {
      return out;
    }
    if (!v.isArray()) {
      throw new InvalidInputException(at(key), "must be a list", "start each item with '- '");
    }
    for (int i = 0; i < v.size(); i++) {
      out.add(new Node(v.get(i), at(key) + "[" + i + "]"));
    }
    return out;
  }

  List<String> texts(String key) {
    List<String> out = new ArrayList<>();
    for (Node n : list(key)) {
      JsonNode item = n.item();
      if (!item.isTextual()) {
        throw new InvalidInputException(n.path, "must be text", "list them as strings");
      }
      out.add(item.asText());
    }
    return out;
  }

  List<Double> doubles(String key) {
    List<Double> out = new ArrayList<>();
    for (Node n : list(key)) {
      JsonNode item = n.item();
      if (!item.isNumber()) {
        throw new InvalidInputException(n.path, "must be a number", "list watts as numbers");
      }
      out.add(item.asDouble());
    }
    return out;
  }

  /** This node as an item of a {@link #list}, which is never absent (a YAML null is a NullNode). */
  private JsonNode item() {
    return java.util.Objects.requireNonNull(json, () -> path + " is a list item, which is never absent");
  }

  /**
   * Re-raises a model validation error with this node's path in front of its field. A field that
   * already starts with this path (this node's own getters, or a model that names its config
   * section, like ControllerSettings' "controller.monitorPeriod") is kept as it is, so the path is
   * never doubled. {@code renames} are pairs (model field, YAML key) for models whose field names
   * differ from the keys here, e.g. "capacity.mhzPerCore", "mhz".
   */
  <T> T within(java.util.function.Supplier<T> s, String... renames) {
    try {
      return s.get();
    } catch (InvalidInputException e) {
      String f = e.field();
      String message = java.util.Objects.requireNonNull(e.getMessage(), "an InvalidInputException always has a message");
      String rest = message.substring(Math.min(message.length(), f.length() + 2));
      if (path.isEmpty() || f.equals(path) || f.startsWith(path + ".") || f.startsWith(path + "[")) {
        throw e;
      }
      for (int i = 0; i + 1 < renames.length; i += 2) {
        if (f.equals(renames[i])) {
          f = renames[i + 1];
        }
      }
      throw new InvalidInputException(path + "." + f, rest, null);
    }
  }
}
