package org.corral.controller.ec2;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.corral.model.InvalidInputException;
import org.corral.model.Labels;
import org.jspecify.annotations.Nullable;

/**
 * EC2 tags on instances, kept as the VM's labels. EC2's rules are checked first (a key of 1 to
 * 128 characters, a value of at most 256, no {@code aws:} prefix, at most 50 tags on an instance),
 * then Corral's label rules, which are narrower (docs/ec2-api.md, "Tags").
 */
final class Tags {
  static final int MAX_KEY = 128;
  static final int MAX_VALUE = 256;
  static final int MAX_PER_RESOURCE = 50;
  /** The instance's Corral name, shown as a tag; read-only. */
  static final String NAME_TAG = "corral:name";

  private Tags() {}

  /** {@code prefix.N.Key} and {@code prefix.N.Value} (a missing value is "" or, when {@code valueless}, null). */
  static Map<String, @Nullable String> read(Params q, String prefix, boolean valueless) {
    Map<String, @Nullable String> tags = new LinkedHashMap<>();
    for (int n = 1; q.one(prefix + "." + n + ".Key") != null; n++) {
      String key = q.one(prefix + "." + n + ".Key");
      String value = q.one(prefix + "." + n + ".Value");
      if (key == null) {
        break;
      }
      tags.put(key, value == null && !valueless ? "" : value);
    }
    return tags;
  }

  /** Checks one tag to be set, by EC2's rules. */
  static void checkKey(String key) {
    if (key.isEmpty() || key.length() > MAX_KEY) {
      throw Ec2Exception.invalid("Tag.Key", "'" + shorten(key) + "' must be 1 to " + MAX_KEY + " characters long");
    }
    String lower = key.toLowerCase(Locale.ROOT);
    if (lower.startsWith("aws:")) {
      throw new Ec2Exception("InvalidParameterValue", 400, "Tag keys starting with 'aws:' are reserved for AWS ('" + shorten(key)
          + "'); use another key");
    }
    if (lower.startsWith("corral:")) {
      throw new Ec2Exception("InvalidParameterValue", 400, "Tag keys starting with 'corral:' are Corral's own and read-only ('"
          + shorten(key) + "')");
    }
  }

  static void checkValue(String key, String value) {
    if (value.length() > MAX_VALUE) {
      throw Ec2Exception.invalid("Tag.Value", "of the key '" + shorten(key) + "' is longer than " + MAX_VALUE + " characters");
    }
  }

  /** The labels an instance ends with: EC2's count limit, then Corral's label rules. */
  static Map<String, String> checkAll(String instanceId, Map<String, String> labels) {
    if (labels.size() > MAX_PER_RESOURCE) {
      throw new Ec2Exception("TagLimitExceeded", 400, "The instance " + instanceId + " would have " + labels.size()
          + " tags; an instance has at most " + MAX_PER_RESOURCE + ": delete some first (DeleteTags)");
    }
    try {
      Labels.require("tags", labels);
    } catch (InvalidInputException e) {
      throw new Ec2Exception("InvalidParameterValue", 400, "Corral keeps an instance's tags as its labels, whose rules are narrower"
          + " than EC2's: " + e.getMessage());
    }
    return labels;
  }

  private static String shorten(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
