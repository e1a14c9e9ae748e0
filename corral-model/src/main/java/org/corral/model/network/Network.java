package org.corral.model.network;

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

  public Network {
    Names.require("name", name);
    if (bridge == null || bridge.isBlank()) {
      throw new InvalidInputException("bridge", "is missing", "name the host bridge, e.g. br0");
    }
    macStart = macStart == null ? DEFAULT_MAC_START : macStart.toLowerCase();
    LeasePool.parseCidr(cidr);
    if (gateway != null) {
      LeasePool.requireInSubnet("gateway", gateway, cidr);
    }
    if (firstIp != null) {
      LeasePool.requireInSubnet("firstIp", firstIp, cidr);
    }
    if (lastIp != null) {
      LeasePool.requireInSubnet("lastIp", lastIp, cidr);
    }
    LeasePool.parseMac("macStart", macStart);
  }
}
