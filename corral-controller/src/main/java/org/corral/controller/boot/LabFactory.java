package org.corral.controller.boot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.corral.controller.command.HostRequest;
import org.corral.controller.config.CorralConfig;
import org.corral.drivers.sim.SimDataCenter;
import org.corral.drivers.sim.SimLatencies;
import org.corral.model.host.HostCapacity;
import org.corral.model.host.PowerModel;
import org.corral.model.host.PowerSpec;
import org.corral.model.time.Clock;

/** Builds (or reloads) the simulated lab a configuration asks for, and the inventory of its hosts. */
final class LabFactory {
  private LabFactory() {}

  static SimLatencies latencies(CorralConfig.LabLatencies l) {
    SimLatencies d = SimLatencies.DEFAULT;
    if (l == null) {
      return d;
    }
    return new SimLatencies(l.define() != null ? l.define() : d.define(), l.boot() != null ? l.boot() : d.boot(),
        l.shutdown() != null ? l.shutdown() : d.shutdown(), l.migrationBase() != null ? l.migrationBase() : d.migrationBase(),
        l.migrationMibPerSecond() != null ? l.migrationMibPerSecond() : d.migrationMibPerSecond(),
        l.powerOn() != null ? l.powerOn() : d.powerOn(), l.powerOff() != null ? l.powerOff() : d.powerOff());
  }

  /**
   * A lab whose state file exists is reloaded as it was (hosts and domains survive a controller
   * restart, like real hardware); otherwise it is built from the configuration.
   */
  static SimDataCenter open(CorralConfig.LabConfig cfg, Clock clock, long seed, Path home) {
    SimLatencies lat = latencies(cfg.latencies());
    Path file = home.resolve("lab-" + cfg.name() + ".json");
    SimDataCenter dc;
    if (cfg.stateFile() && Files.exists(file)) {
      dc = SimDataCenter.loadFrom(file, clock, lat);
    } else {
      dc = new SimDataCenter(cfg.name(), clock, seed, lat);
      for (String[] h : names(cfg)) {
        CorralConfig.LabHostGroup g = group(cfg, h[1]);
        dc.addHost(h[0], new HostCapacity(g.cores(), g.mhz(), g.memoryMib()), PowerModel.linear(g.idleWatts(), g.maxWatts()), true);
      }
    }
    if (cfg.leaseTime() != null) {
      dc.setLeaseTime(cfg.leaseTime());
    }
    if (cfg.stateFile()) {
      dc.autosave(file);
    }
    return dc;
  }

  /** Inventory entries for the lab's hosts: sim:// hypervisor and power. */
  static List<HostRequest> inventory(CorralConfig.LabConfig cfg, SimDataCenter dc) {
    List<HostRequest> out = new ArrayList<>();
    for (String[] h : names(cfg)) {
      CorralConfig.LabHostGroup g = group(cfg, h[1]);
      String uri = dc.uriOf(h[0]);
      out.add(new HostRequest(h[0], uri, new HostCapacity(g.cores(), g.mhz(), g.memoryMib()), g.labels(),
          new PowerSpec(uri, null, null, cfg.softFencing() ? uri : null), new HostRequest.PowerModelRequest(g.idleWatts(), g.maxWatts(), null, null)));
    }
    return out;
  }

  private static List<String[]> names(CorralConfig.LabConfig cfg) {
    List<String[]> out = new ArrayList<>();
    for (CorralConfig.LabHostGroup g : cfg.groups()) {
      int width = Math.max(2, Integer.toString(g.count()).length());
      for (int i = 1; i <= g.count(); i++) {
        out.add(new String[] {g.prefix() + String.format("%0" + width + "d", i), g.prefix()});
      }
    }
    return out;
  }

  private static CorralConfig.LabHostGroup group(CorralConfig.LabConfig cfg, String prefix) {
    return cfg.groups().stream().filter(g -> g.prefix().equals(prefix)).findFirst().orElseThrow();
  }
}
