package org.corral.controller.ec2;

import org.corral.model.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * corral.yaml's {@code ec2} section.
 *
 * @param listen   host:port of the EC2 Query API, or null when it is off ({@code listen: off})
 * @param region   the one region this endpoint is; clients sign for it ({@code aws --region})
 * @param explicit whether corral.yaml set {@code listen}: then a port in use fails the start;
 *                 the default (127.0.0.1:8773) only warns, so that two Corrals on one machine
 *                 (tests, a second lab) still start
 */
public record Ec2Settings(@Nullable String listen, String region, boolean explicit) {
  public static final String DEFAULT_LISTEN = "127.0.0.1:8773";
  public static final Ec2Settings DEFAULT = new Ec2Settings(DEFAULT_LISTEN, "corral-1", false);

  public Ec2Settings {
    if (region == null || !region.matches("[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?")) {
      throw new InvalidInputException("ec2.region", InvalidInputException.quote(region) + " is not a region name",
          "lower-case letters, digits and dashes, e.g. corral-1");
    }
  }
}
