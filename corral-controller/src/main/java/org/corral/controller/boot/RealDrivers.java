package org.corral.controller.boot;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.corral.drivers.Drivers;
import org.corral.drivers.ec2.Ec2HypervisorDriver;
import org.corral.drivers.guest.agent.QemuAgentExec;
import org.corral.drivers.guest.ssh.SshGuestExec;
import org.corral.drivers.libvirt.LibvirtConnection;
import org.corral.drivers.libvirt.LibvirtDriver;
import org.corral.drivers.libvirt.ReconnectBackoff;
import org.corral.drivers.power.ipmi.IpmiPowerDriver;
import org.corral.drivers.power.ssh.SshPowerDriver;
import org.corral.drivers.power.wol.WakeOnLanDriver;
import org.corral.drivers.probe.http.HttpProbe;
import org.corral.drivers.probe.net.IcmpProbe;
import org.corral.drivers.probe.net.TcpProbe;
import org.corral.drivers.probe.ssh.SshExecProbe;
import org.corral.drivers.ssh.SshSettings;
import org.corral.model.time.Clock;

/**
 * The drivers for real hosts: libvirt hypervisors, EC2-compatible endpoints (ec2://), IPMI / Wake-on-LAN / SSH power, probes, and
 * guest exec over SSH or the QEMU guest agent. SSH uses the keys and known_hosts of the user
 * running Corral (~/.ssh).
 */
public final class RealDrivers {
  private RealDrivers() {}

  public static void register(Drivers d, Clock clock) {
    LibvirtDriver libvirt = new LibvirtDriver(clock, ReconnectBackoff.DEFAULT);
    d.hypervisor(libvirt).hypervisor(new Ec2HypervisorDriver());
    SshSettings ssh = SshSettings.defaults();
    d.power(new IpmiPowerDriver()).power(new WakeOnLanDriver()).power(new SshPowerDriver(ssh));
    d.probe(new TcpProbe()).probe(new IcmpProbe()).probe(new HttpProbe()).probe(new SshExecProbe(ssh));
    d.guest(new SshGuestExec(ssh)).guest(new QemuAgentExec(new AgentConnections(libvirt)::get));
  }

  /** One libvirt connection per host URI for the guest agent, reopened when it dies. */
  private static final class AgentConnections {
    private final LibvirtDriver driver;
    private final ConcurrentHashMap<String, CompletableFuture<LibvirtConnection>> open = new ConcurrentHashMap<>();

    AgentConnections(LibvirtDriver driver) {
      this.driver = driver;
    }

    CompletionStage<LibvirtConnection> get(String uri) {
      CompletableFuture<LibvirtConnection> f = open.compute(uri, (k, cur) -> {
        if (cur != null && (!cur.isDone() || (!cur.isCompletedExceptionally() && cur.join().isAlive()))) {
          return cur;
        }
        return driver.connect(uri).thenApply(c -> (LibvirtConnection) c).toCompletableFuture();
      });
      return f;
    }
  }
}
