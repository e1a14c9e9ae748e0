package org.corral.controller.auth;

import org.corral.model.auth.Role;
import org.jspecify.annotations.Nullable;

/**
 * Who a request is from, once authenticated.
 *
 * @param name    the user, and the owner of the VMs the request creates
 * @param group   the user's group, or null
 * @param actor   who the journal says asked: the name, or {@code admin as alice} when an
 *                administrator acts for another user (X-Corral-User)
 * @param tokenId the token the request carried, or null (an open route)
 */
public record Principal(String name, Role role, @Nullable String group, String actor, @Nullable String tokenId) {
  public boolean isAdmin() {
    return role == Role.ADMIN;
  }
}
