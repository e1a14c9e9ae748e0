package org.corral.controller.auth;

import java.util.Objects;
import org.corral.model.auth.Role;
import org.jspecify.annotations.Nullable;

/**
 * The one place that decides who may do what: role × {@link Permission} × how the object relates
 * to the user. Pure; every check in the API comes here (the route's permission before the route
 * runs, the object's owner when the route has found the object). The table is in
 * docs/users-and-roles.md and tested whole in AccessPolicyTest.
 */
public final class AccessPolicy {
  private AccessPolicy() {}

  /** How the object of a request relates to the user asking. */
  public enum Relation {
    /** The route itself, before any object is known (a list, a creation, an admin page). */
    ROUTE,
    /** The user's own object. */
    OWN,
    /** An object of another member of the user's group. */
    GROUP,
    /** Anyone else's, or nobody's (a host, a network). */
    OTHER
  }

  /** Whether {@code role} may do {@code what} on an object related to the user by {@code relation}. */
  public static boolean allows(Role role, Permission what, Relation relation) {
    if (role == Role.ADMIN) {
      return true;
    }
    return switch (what.developerRule()) {
      case OPEN, ALWAYS -> true;
      case OWN -> relation == Relation.ROUTE || relation == Relation.OWN;
      case OWN_OR_GROUP -> relation == Relation.ROUTE || relation == Relation.OWN || relation == Relation.GROUP;
      case NEVER -> false;
    };
  }

  /** How an object owned by {@code owner} (whose group is {@code ownerGroup}) relates to {@code p}. */
  public static Relation relation(Principal p, @Nullable String owner, @Nullable String ownerGroup) {
    if (owner != null && owner.equals(p.name())) {
      return Relation.OWN;
    }
    if (p.group() != null && Objects.equals(p.group(), ownerGroup)) {
      return Relation.GROUP;
    }
    return Relation.OTHER;
  }
}
