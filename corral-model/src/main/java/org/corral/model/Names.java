package org.corral.model;

import java.util.regex.Pattern;

/** Rules for the names of hosts, VMs, networks, images and groups: DNS labels. */
public final class Names {
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private Names() {}

  /** Returns {@code name} or throws an error naming {@code field}. */
  public static String require(String field, @org.jspecify.annotations.Nullable String name) {
    if (name == null || name.isBlank()) {
      throw new InvalidInputException(field, "is missing", "give a name such as 'web1'");
    }
    if (!NAME.matcher(name).matches()) {
      throw new InvalidInputException(field, InvalidInputException.quote(name) + " is not a valid name",
          "use 1-63 lower-case letters, digits and '-', starting and ending with a letter or digit");
    }
    return name;
  }

  public static boolean isValid(String name) {
    return name != null && NAME.matcher(name).matches();
  }
}
