/**
 * The EC2-compatible Query API (docs/ec2-api.md): its own listener, AWS Signature Version 4
 * checked against a user's access key, and the EC2 actions mapped onto Corral's own commands,
 * so that access policy and quotas apply exactly as through the REST API.
 */
@NullMarked
package org.corral.controller.ec2;

import org.jspecify.annotations.NullMarked;
