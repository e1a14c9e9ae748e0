package org.corral.model.host;

import org.jspecify.annotations.Nullable;
/**
 * How a host is switched on and off. Each is a URI whose scheme picks the power driver:
 * {@code ipmi://admin@10.0.0.11?interface=lanplus&passwordFile=/etc/corral/bmc.pass},
 * {@code wol://192.168.1.255:9} (with {@link #mac}), {@code ssh://root@node1}, {@code sim://}.
 * Secrets are never part of the URI: they come from a file or the environment.
 *
 * @param on   how to power on, or null when the host cannot be switched on remotely
 * @param off  how to power off; null means "the same as {@code on}"
 * @param mac  the MAC address of the NIC that listens for Wake-on-LAN, or null
 */
public record PowerSpec(@Nullable String on, @Nullable String off, @Nullable String mac) {
  public static final PowerSpec NONE = new PowerSpec(null, null, null);

  public @Nullable String offOrOn() {
    return off != null ? off : on;
  }

  public boolean canPowerOn() {
    return on != null;
  }

  public boolean canPowerOff() {
    return offOrOn() != null;
  }
}
