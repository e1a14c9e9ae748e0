package org.corral.model.network;

import java.util.Set;
import org.corral.model.ConflictException;
import org.corral.model.InvalidInputException;
import org.corral.model.vm.NicLease;

/**
 * Allocation of IP and MAC addresses from a {@link Network}. Pure: the set of addresses in use
 * is derived from the VMs' leases and passed in, so there is no second copy of it to go stale.
 * Addresses are handed out lowest first, which makes allocation deterministic.
 */
public final class LeasePool {
  private LeasePool() {}

  /** Returns the next free lease, or throws {@link ConflictException} when the pool is exhausted. */
  public static NicLease allocate(Network net, Set<String> usedIps, Set<String> usedMacs) {
    return allocate(net, usedIps::contains, usedMacs::contains);
  }

  /**
   * The same, asking whether an address is taken instead of holding every taken one: a caller
   * with indexes (the controller, admitting a batch of VMs) need not copy them for each lease.
   */
  public static NicLease allocate(Network net, java.util.function.Predicate<String> ipTaken,
      java.util.function.Predicate<String> macTaken) {
    long[] subnet = parseCidr(net.cidr());
    long base = subnet[0];
    long size = subnet[1];
    long first = net.firstIp() != null ? toLong(net.firstIp()) : base + 1;
    long last = net.lastIp() != null ? toLong(net.lastIp()) : base + size - 2;
    String ip = null;
    for (long a = first; a <= last; a++) {
      String candidate = toIp(a);
      if (!candidate.equals(net.gateway()) && !ipTaken.test(candidate)) {
        ip = candidate;
        break;
      }
    }
    if (ip == null) {
      throw new ConflictException("network '" + net.name() + "' has no free IP address left in "
          + toIp(first) + "-" + toIp(last) + "; widen the range or delete VMs on it");
    }
    long start = parseMac("macStart", net.macStart());
    long mac = start;
    while (macTaken.test(toMac(mac))) {
      mac++;
    }
    if (mac >> 40 != start >> 40) {
      // Counting on would leave the first octet (its multicast bit, or past ff:ff:ff:ff:ff:ff).
      throw new ConflictException("network '" + net.name() + "' has no free MAC address left after " + net.macStart()
          + "; give the network a lower macStart");
    }
    return new NicLease(net.name(), ip, toMac(mac));
  }

  /** Returns {network address, number of addresses}; throws naming the field when malformed. */
  static long[] parseCidr(String cidr) {
    if (cidr == null || !cidr.contains("/")) {
      throw new InvalidInputException("cidr", InvalidInputException.quote(cidr) + " is not a CIDR subnet", "write it as 192.168.100.0/24");
    }
    String[] parts = cidr.split("/", 2);
    int prefix;
    try {
      prefix = parts[1].matches("\\d{1,2}") ? Integer.parseInt(parts[1]) : -1;
    } catch (NumberFormatException e) {
      prefix = -1;
    }
    if (prefix < 0) {
      throw new InvalidInputException("cidr", "prefix " + InvalidInputException.quote(parts[1]) + " is not a number",
          "write it as 192.168.100.0/24");
    }
    if (prefix < 8 || prefix > 30) {
      throw new InvalidInputException("cidr", "prefix /" + prefix + " is out of range", "use a prefix between /8 and /30");
    }
    long addr = toLongField("cidr", parts[0]);
    long size = 1L << (32 - prefix);
    return new long[] {addr & ~(size - 1), size};
  }

  /** A subnet as a network address: 10.0.0.5/24 is a mistake (host bits set), not 10.0.0.0/24. */
  static void requireSubnet(String cidr) {
    long[] s = parseCidr(cidr);
    String address = cidr.substring(0, cidr.indexOf('/'));
    if (toLongField("cidr", address) != s[0]) {
      String subnet = toIp(s[0]) + cidr.substring(cidr.indexOf('/'));
      throw new InvalidInputException("cidr", cidr + " has host bits set", "write the network address: " + subnet);
    }
  }

  static void requireInSubnet(String field, String ip, String cidr) {
    long[] s = parseCidr(cidr);
    long a = toLongField(field, ip);
    if (a < s[0] || a >= s[0] + s[1]) {
      throw new InvalidInputException(field, ip + " is outside " + cidr, "give an address inside the subnet");
    }
  }

  /** A MAC that can be an interface's own: neither multicast/broadcast (lowest bit of the first octet) nor all zeros. */
  static void requireUnicastMac(String field, String mac) {
    long v = parseMac(field, mac);
    if ((v >> 40 & 1) == 1 || v == 0) {
      throw new InvalidInputException(field, mac + " is a " + (v == 0 ? "null" : "multicast or broadcast") + " address, not an interface's",
          "use a unicast address, e.g. 52:54:00:01:00:00 (the first octet even)");
    }
  }

  static long parseMac(String field, String mac) {
    String[] parts = mac == null || mac.length() > 17 ? new String[0] : mac.split(":");
    if (parts.length != 6) {
      throw new InvalidInputException(field, InvalidInputException.quote(mac) + " is not a MAC address", "write it as 52:54:00:01:00:00");
    }
    long v = 0;
    for (String p : parts) {
      try {
        int b = Integer.parseInt(p, 16);
        if (p.length() != 2 || b < 0 || b > 255) {
          throw new NumberFormatException();
        }
        v = (v << 8) | b;
      } catch (NumberFormatException e) {
        throw new InvalidInputException(field, InvalidInputException.quote(mac) + " is not a MAC address", "write it as 52:54:00:01:00:00");
      }
    }
    return v;
  }

  static String toMac(long v) {
    StringBuilder sb = new StringBuilder(17);
    for (int i = 5; i >= 0; i--) {
      sb.append(String.format("%02x", (v >> (8 * i)) & 0xff));
      if (i > 0) {
        sb.append(':');
      }
    }
    return sb.toString();
  }

  private static long toLong(String ip) {
    return toLongField("ip", ip);
  }

  static long toLongField(String field, String ip) {
    String[] p = ip == null || ip.length() > 15 ? new String[0] : ip.split("\\.");
    if (p.length != 4) {
      throw new InvalidInputException(field, InvalidInputException.quote(ip) + " is not an IPv4 address", "write it as 192.168.100.10");
    }
    long v = 0;
    for (String s : p) {
      int b;
      try {
        b = Integer.parseInt(s);
      } catch (NumberFormatException e) {
        b = -1;
      }
      if (b < 0 || b > 255) {
        throw new InvalidInputException(field, InvalidInputException.quote(ip) + " is not an IPv4 address", "write it as 192.168.100.10");
      }
      v = (v << 8) | b;
    }
    return v;
  }

  private static String toIp(long v) {
    return ((v >> 24) & 255) + "." + ((v >> 16) & 255) + "." + ((v >> 8) & 255) + "." + (v & 255);
  }
}
