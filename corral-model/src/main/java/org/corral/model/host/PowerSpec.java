package org.corral.model.host;

import java.util.regex.Pattern;
import org.corral.model.InvalidInputException;
import org.corral.model.Secrets;

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
 * @param soft how to restart the host's hypervisor daemon before fencing it (soft fencing), e.g.
 *             {@code ssh://root@node1?identity=/etc/corral/ssh/id_ecdsa} (runs
 *             {@code systemctl restart libvirtd}, or the URI's {@code command} arguments), or
 *             {@code sim://lab/node1}; null: no soft fencing, a failed host is powered off at once
 */
public record PowerSpec(@Nullable String on, @Nullable String off, @Nullable String mac, @Nullable String soft) {
  public static final PowerSpec NONE = new PowerSpec(null, null, null, null);

  /** Without soft fencing. */
  public PowerSpec(@Nullable String on, @Nullable String off, @Nullable String mac) {
    this(on, off, mac, null);
  }

  /** This power spec with soft fencing through {@code uri} (null: none). */
  public PowerSpec withSoft(@Nullable String uri) {
    return new PowerSpec(on, off, mac, uri);
  }
  private static final Pattern MAC = Pattern.compile("\\p{XDigit}{2}([:-])\\p{XDigit}{2}(\\1\\p{XDigit}{2}){4}");

  /**
   * Checks what a user gives before it is stored: no secret in either URI ({@link Secrets}), and
   * a MAC written as six hex pairs. Returns this.
   */
  public PowerSpec validate() {
    Secrets.refuseInline("power.on", on);
    Secrets.refuseInline("power.off", off);
    Secrets.refuseInline("power.soft", soft);
    if (mac != null && !MAC.matcher(mac).matches()) {
      throw new InvalidInputException("power.mac", InvalidInputException.quote(mac) + " is not a MAC address",
          "write six hex pairs separated by ':' or '-', e.g. 52:54:00:12:34:56");
    }
    return this;
  }

  public @Nullable String offOrOn() {
    return off != null ? off : on;
  }

  public boolean canPowerOn() {
    return on != null;
  }

  public boolean canPowerOff() {
    return offOrOn() != null;
  }

  /** True when the host's hypervisor daemon can be restarted before it is fenced. */
  public boolean canSoftFence() {
    return soft != null;
  }
}
