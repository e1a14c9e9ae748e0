package org.corral.model;

import org.jspecify.annotations.Nullable;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Rules for the labels of hosts and VMs, those of Kubernetes: a key is an optional DNS-subdomain
 * prefix (at most 253 characters) and '/', then a name of at most 63 letters, digits, '-', '_'
 * and '.', starting and ending with a letter or digit; a value is empty or follows the same rule
 * as a name. At most {@value #MAX_COUNT} labels per object: labels select and rank hosts, they
 * are not a place to store data.
 */
public final class Labels {
  public static final int MAX_COUNT = 64;
  public static final int MAX_NAME = 63;
  public static final int MAX_PREFIX = 253;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
  private static final Pattern PREFIX = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final String FIX = "use keys like 'rack' or 'corral.dev/zone' and values like 'r1': letters, digits,"
      + " '-', '_' and '.', at most 63 characters (docs/security.md, limits)";

  private Labels() {}

  /** Returns {@code labels} (null is no labels) or throws naming {@code field} and the key at fault. */
  public static @Nullable Map<String, String> require(String field, @Nullable Map<String, String> labels) {
    if (labels == null) {
      return null;
    }
    if (labels.size() > MAX_COUNT) {
      throw new InvalidInputException(field, "has " + labels.size() + " labels, more than " + MAX_COUNT, FIX);
    }
    for (Map.Entry<String, String> e : labels.entrySet()) {
      String key = e.getKey();
      if (key == null || !validKey(key)) {
        throw new InvalidInputException(field, "key " + InvalidInputException.quote(key) + " is not a label key", FIX);
      }
      String value = e.getValue();
      if (value == null || !(value.isEmpty() || value.length() <= MAX_NAME && NAME.matcher(value).matches())) {
        throw new InvalidInputException(field + "." + key, InvalidInputException.quote(value) + " is not a label value", FIX);
      }
    }
    return labels;
  }

  private static boolean validKey(String key) {
    int slash = key.indexOf('/');
    String name = slash < 0 ? key : key.substring(slash + 1);
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      if (prefix.isEmpty() || prefix.length() > MAX_PREFIX || !PREFIX.matcher(prefix).matches()) {
        return false;
      }
    }
    return !name.isEmpty() && name.length() <= MAX_NAME && NAME.matcher(name).matches();
  }

  /**
   * Labels written as {@code KEY=VALUE,KEY=VALUE} (as {@link #text} writes them), checked like
   * {@link #require}; an error names {@code field}.
   */
  public static Map<String, String> parse(String field, String text) {
    Map<String, String> out = new java.util.TreeMap<>();
    for (String pair : text.split(",", -1)) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new InvalidInputException(field, InvalidInputException.quote(pair) + " is not KEY=VALUE",
            "write the labels as KEY=VALUE, several separated by commas, e.g. rack=r2,zone=a");
      }
      if (out.put(pair.substring(0, eq), pair.substring(eq + 1)) != null) {
        throw new InvalidInputException(field, "key " + InvalidInputException.quote(pair.substring(0, eq)) + " is given twice",
            "give each key once");
      }
    }
    require(field, out);
    return out;
  }

  /** {@code KEY=VALUE,KEY=VALUE}, keys sorted: what {@link #parse} reads. */
  public static String text(Map<String, String> labels) {
    return String.join(",", new java.util.TreeMap<>(labels).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
  }
}
