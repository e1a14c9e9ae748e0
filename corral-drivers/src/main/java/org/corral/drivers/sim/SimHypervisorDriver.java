package org.corral.drivers.sim;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.corral.drivers.DriverException;
import org.corral.drivers.hypervisor.HypervisorConnection;
import org.corral.drivers.hypervisor.HypervisorDriver;

/**
 * Connects to the hypervisors of one {@link SimDataCenter}'s hosts, {@code sim://<dc>/<host>}.
 * Connecting is instantaneous; it fails NOT_FOUND for an unknown host or data centre, REJECTED
 * for a malformed URI and UNREACHABLE for a host that is off, booting, crashed or partitioned.
 */
public final class SimHypervisorDriver implements HypervisorDriver {
  private final SimDataCenter dc;

  public SimHypervisorDriver(SimDataCenter dc) {
    this.dc = dc;
  }

  @Override
  public Set<String> schemes() {
    return Set.of(SimUri.SCHEME);
  }

  @Override
  public CompletionStage<HypervisorConnection> connect(String uri) {
    SimUri parsed;
    try {
      parsed = SimUri.parse(uri);
    } catch (DriverException e) {
      return CompletableFuture.failedFuture(e);
    }
    return dc.call(() -> {
      SimHost h = dc.hostFor(parsed);
      if (!h.answering()) {
        throw dc.unreachable(h, whyNotAnswering(h));
      }
      SimHypervisorConnection c = new SimHypervisorConnection(dc, h);
      h.connections.add(c);
      return CompletableFuture.completedFuture(c);
    });
  }

  /** As the simulated shared storage sees them: {@link SimDataCenter#leaseStatus}. */
  @Override
  public CompletionStage<org.corral.drivers.hypervisor.LeaseStatus> leases(String uri) {
    SimUri parsed;
    try {
      parsed = SimUri.parse(uri);
    } catch (DriverException e) {
      return CompletableFuture.failedFuture(e);
    }
    return dc.call(() -> CompletableFuture.completedFuture(dc.leaseStatusOf(dc.hostFor(parsed))));
  }

  static String whyNotAnswering(SimHost h) {
    if (h.crashed) {
      return "crashed";
    }
    if (h.partitioned && h.power == SimPower.ON) {
      return "partitioned";
    }
    if (h.daemonDown && h.power == SimPower.ON) {
      return "libvirtd is down";
    }
    return switch (h.power) {
      case OFF -> "powered off";
      case POWERING_ON -> "still booting";
      case POWERING_OFF -> "powering off";
      case ON -> "partitioned";
    };
  }
}
