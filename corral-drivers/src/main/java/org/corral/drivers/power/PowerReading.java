package org.corral.drivers.power;

/**
 * What a host's power controller says about the power the host draws: a measured figure, or why
 * there is none. Drivers that cannot measure (Wake-on-LAN, SSH, most simulated BMCs) always answer
 * {@link NotReported}; a BMC answers {@link Measured} when it supports DCMI power readings and has
 * power measurement activated.
 */
public sealed interface PowerReading {
  /**
   * The draw measured now.
   *
   * @param watts instantaneous power in watts, finite and at least 0
   */
  record Measured(double watts) implements PowerReading {
    public Measured {
      if (!(watts >= 0) || Double.isInfinite(watts)) {
        throw new IllegalArgumentException("a power reading is a finite number of watts >= 0, got " + watts);
      }
    }
  }

  /**
   * The power controller answered but reports no power; callers fall back to a model.
   *
   * @param reason why, for reports (e.g. "BMC 10.0.0.11 does not support DCMI power readings
   *               (ipmitool: Invalid command (c1))"); never holds a secret
   */
  record NotReported(String reason) implements PowerReading {}
}
