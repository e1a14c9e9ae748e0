package org.corral.controller.boot;

import org.corral.drivers.Drivers;
import org.corral.drivers.guest.ssh.SshGuestExec;
import org.corral.drivers.power.ipmi.IpmiPowerDriver;
import org.corral.drivers.power.ssh.SshPowerDriver;
import org.corral.drivers.power.wol.WakeOnLanDriver;
import org.corral.drivers.probe.http.HttpProbe;
import org.corral.drivers.probe.net.IcmpProbe;
import org.corral.drivers.probe.net.TcpProbe;
import org.corral.drivers.probe.ssh.SshExecProbe;
import org.corral.drivers.ssh.SshSettings;

/**
 * The drivers for real hosts: libvirt hypervisors, IPMI / Wake-on-LAN / SSH power, probes and
 * SSH guest exec. SSH uses the keys and known_hosts of the user running Corral (~/.ssh).
 */
final class RealDrivers {
  private RealDrivers() {}

  static void register(Drivers d) {
    SshSettings ssh = SshSettings.defaults();
    d.power(new IpmiPowerDriver()).power(new WakeOnLanDriver()).power(new SshPowerDriver(ssh));
    d.probe(new TcpProbe()).probe(new IcmpProbe()).probe(new HttpProbe()).probe(new SshExecProbe(ssh));
    d.guest(new SshGuestExec(ssh));
  }
}
