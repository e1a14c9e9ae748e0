package org.corral.model.auth;

import java.time.Instant;
import org.corral.model.InvalidInputException;
import org.corral.model.Names;
import org.jspecify.annotations.Nullable;

/**
 * A person or program that uses Corral.
 *
 * @param name         a DNS label, as VM names; it is the owner of the VMs the user creates
 * @param group        the group whose VMs and quota the user shares, or null
 * @param quota        the user's own limits ({@link Quota#NONE} for none); the group's apply too
 * @param passwordHash Argon2id hash in PHC string form ({@code $argon2id$v=19$...}), or null when
 *                     the user logs in with tokens only. Never shown: {@link #toString} leaves it out
 */
public record User(String name, Role role, @Nullable String group, Quota quota, @Nullable String passwordHash, Instant created) {
  public User {
    Names.require("name", name);
    if (role == null) {
      throw new InvalidInputException("role", "is missing", "give admin or developer");
    }
    if (group != null) {
      Names.require("group", group);
    }
    quota = quota == null ? Quota.NONE : quota;
    if (created == null) {
      throw new InvalidInputException("created", "is missing", "give the time the user was created");
    }
  }

  public User withQuota(Quota q) {
    return new User(name, role, group, q, passwordHash, created);
  }

  public User withPasswordHash(@Nullable String hash) {
    return new User(name, role, group, quota, hash, created);
  }

  @Override
  public String toString() {
    return "User[" + name + ", " + role.label() + (group == null ? "" : ", group " + group) + "]";
  }
}
