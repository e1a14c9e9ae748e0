package org.corral.controller.boot;

import org.corral.drivers.Drivers;

/** The drivers for real hosts: libvirt hypervisors, IPMI / Wake-on-LAN / SSH power, probes, guest exec. */
final class RealDrivers {
  private RealDrivers() {}

  static void register(Drivers d) {
    // Filled in as the real drivers land (libvirt, ipmi, wol, ssh, probes).
  }
}
