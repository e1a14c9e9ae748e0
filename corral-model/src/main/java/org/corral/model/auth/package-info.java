/**
 * Who may use Corral: users with a {@link org.corral.model.auth.Role}, the groups that share VMs
 * and quota, API tokens (kept as hashes, never as the secret) and quotas. Records only; the
 * checks that use them live in {@code org.corral.controller.auth}.
 */
@NullMarked
package org.corral.model.auth;

import org.jspecify.annotations.NullMarked;
