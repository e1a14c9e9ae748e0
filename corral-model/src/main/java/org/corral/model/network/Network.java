package org.corral.model.network;

import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.corral.model.InvalidInputException;
import org.corral.model.Names;

/**
 * A network VMs attach to: a host bridge (or libvirt network) and a pool of IP/MAC leases.
 *
 * @param bridge   the Linux bridge on every host ({@code br0}) or a libvirt network name
 * @param cidr     the subnet, e.g. {@code 192.168.100.0/24}
 * @param gateway  the router address, never leased; null when there is none
 * @param firstIp  first leasable address; null means the first host address after the gateway
 * @param lastIp   last leasable address; null means the last host address of the subnet
 * @param macStart first MAC handed out, counted up from there (default 52:54:00:01:00:00)
 */
public record Network(String name, String bridge, String cidr, @Nullable String gateway, @Nullable String firstIp,
    @Nullable String lastIp, String macStart) {
  public static final String DEFAULT_MAC_START = "52:54:00:01:00:00";
  /** A Linux interface name: at most 15 characters (IFNAMSIZ - 1) of a conservative set, not "." or "..". */
  private static final Pattern IFNAME = Pattern.compile("(?!\\.{1,2}$)[A-Za-z0-9_.-]{1,15}");
  /** A libvirt network name after "net:". */
  private static final Pattern LIBVIRT_NET = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,62}");

  public Network {
    Names.require("name", name);
    requireBridge(bridge);
    macStart = macStart == null ? DEFAULT_MAC_START : macStart.toLowerCase(Locale.ROOT);
    LeasePool.requireSubnet(cidr);
    if (gateway != null) {
      LeasePool.requireInSubnet("gateway", gateway, cidr);
    }
    if (firstIp != null) {
      LeasePool.requireInSubnet("firstIp", firstIp, cidr);
    }
    if (lastIp != null) {
      LeasePool.requireInSubnet("lastIp", lastIp, cidr);
    }
    if (firstIp != null && lastIp != null && LeasePool.toLongField("firstIp", firstIp) > LeasePool.toLongField("lastIp", lastIp)) {
      throw new InvalidInputException("firstIp", firstIp + " comes after lastIp " + lastIp, "give the lower address as firstIp");
    }
    LeasePool.requireUnicastMac("macStart", macStart);
  }

  /** True when this network's subnet shares an address with {@code other}'s. */
  public boolean overlaps(Network other) {
    long[] a = LeasePool.parseCidr(cidr);
    long[] b = LeasePool.parseCidr(other.cidr);
    return a[0] < b[0] + b[1] && b[0] < a[0] + a[1];
  }

  private static void requireBridge(String bridge) {
    if (bridge == null || bridge.isBlank()) {
      throw new InvalidInputException("bridge", "is missing", "name the host bridge, e.g. br0");
    }
    boolean ok = bridge.startsWith("net:")
        ? LIBVIRT_NET.matcher(bridge.substring(4)).matches()
        : IFNAME.matcher(bridge).matches();
    if (!ok) {
      throw new InvalidInputException("bridge", InvalidInputException.quote(bridge) + " is not a Linux interface name"
          + " nor net:NETWORK", "give the host bridge (at most 15 letters, digits, '-', '_' or '.', e.g. br0)"
          + " or net:NAME for a libvirt network (e.g. net:default)");
    }
  }
}
