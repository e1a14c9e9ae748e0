package org.corral.model.auth;

import java.util.Arrays;
import java.util.Locale;
import org.corral.model.InvalidInputException;

/** What a user may do (docs/users-and-roles.md has the whole table). */
public enum Role {
  /** Hosts, networks, images, policies, users and every VM. */
  ADMIN,
  /** Their own VMs and their group's, within quota; no hosts, no other user's VMs. */
  DEVELOPER;

  /** The role named {@code text} (any case), or an error naming {@code field}. */
  public static Role parse(String field, String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidInputException(field, "is missing", "give admin or developer");
    }
    try {
      return valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(field, InvalidInputException.quote(text) + " is not a role",
          "use one of " + Arrays.stream(values()).map(r -> r.name().toLowerCase(Locale.ROOT)).toList());
    }
  }

  /** The name as users write it: admin, developer. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
