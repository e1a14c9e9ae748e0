/**
 * Authentication and authorisation (docs/users-and-roles.md): password hashes ({@link
 * org.corral.controller.auth.Passwords}), bearer tokens ({@link org.corral.controller.auth.Tokens}),
 * the one table of who may do what ({@link org.corral.controller.auth.AccessPolicy}), the
 * requests that manage users, groups, tokens and quotas ({@link org.corral.controller.auth.Accounts}),
 * and the failed-login limit ({@link org.corral.controller.auth.LoginLimiter}).
 */
@NullMarked
package org.corral.controller.auth;

import org.jspecify.annotations.NullMarked;
