package org.corral.controller.issues;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.corral.controller.ControllerSettings;
import org.corral.controller.command.VmRequest;
import org.corral.controller.executor.ExecutorSettings;
import org.corral.controller.testing.LabHarness;
import org.corral.drivers.sim.SimLatencies;
import org.corral.model.host.HostState;
import org.corral.model.plan.Action;
import org.corral.model.plan.Cause;
import org.corral.model.plan.Origin;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmState;

/**
 * Issue 15: over random interleavings of VM creations, placements, stale plans that get rejected,
 * executor limits and hosts entering and leaving maintenance, every placeable PENDING VM is
 * eventually placed, and no deploy intent is run twice. Each try is one seeded scenario on
 * virtual time; a failing seed replays exactly.
 */
class PendingVmsArePlacedPropertiesTest {
  private static final int HOSTS = 3;

  @Property(tries = 40, seed = "20261204")
  void everyPlaceablePendingVmIsEventuallyPlaced(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int deploysAtOnce) {
    SplittableRandom random = new SplittableRandom(seed);
    ExecutorSettings d = ExecutorSettings.DEFAULT;
    ExecutorSettings limits = new ExecutorSettings(deploysAtOnce, deploysAtOnce, 1, 1, 1, d.actionTimeout(), 3, d.backoffBase(),
        d.backoffMax(), d.shutdownTimeout(), d.powerOnTimeout(), d.powerOffTimeout(), d.powerPollInterval(), 1.0, d.migration());
    LabHarness lab = new LabHarness(HOSTS, SimLatencies.DEFAULT, LabHarness.fastSettings().withExecutor(limits));
    lab.startWithInventory();
    List<String> vms = new ArrayList<>();
    for (int step = 0; step < 40; step++) {
      switch (random.nextInt(5)) {
        case 0, 1 -> {
          if (vms.size() >= 3 * 8) {
            continue; // 1 vCPU each: the three hosts' 24 cores hold them all once maintenance ends
          }
          String name = "v" + vms.size();
          lab.cmd().createVm(VmRequest.of(name, 1, 512L * (1 + random.nextInt(4))), "prop");
          vms.add(name);
        }
        case 2 -> {
          String host = LabHarness.hostName(1 + random.nextInt(HOSTS));
          boolean inMaintenance = lab.host(host).state() == HostState.MAINTENANCE;
          if (inMaintenance || maintenanceCount(lab) < HOSTS - 1) {
            lab.cmd().maintenance(host, !inMaintenance, "prop");
          }
        }
        case 3 -> {
          // A stale plan: the scheduler's own key for a pending VM, aimed at a host that may not take it.
          Vm pending = lab.controller.state().vms().stream().filter(v -> v.state() == VmState.PENDING).findFirst().orElse(null);
          if (pending != null) {
            String host = LabHarness.hostName(1 + random.nextInt(HOSTS));
            lab.controller.executor().submit(new Action.DeployVm("deploy/" + pending.name() + "/" + pending.version(),
                pending.name(), host, Cause.of(Origin.SCHEDULER, 0, "stale plan")));
          }
        }
        default -> lab.run(Duration.ofMillis(200L * random.nextInt(20)));
      }
    }
    // Make every VM placeable: all hosts leave maintenance.
    for (int h = 1; h <= HOSTS; h++) {
      if (lab.host(LabHarness.hostName(h)).state() == HostState.MAINTENANCE) {
        lab.cmd().maintenance(LabHarness.hostName(h), false, "prop");
      }
    }
    lab.until("every VM running", () -> vms.stream().allMatch(v -> lab.vm(v).state() == VmState.RUNNING), Duration.ofMinutes(30));
    for (String v : vms) {
      assertThat(lab.dc.hosts().stream().filter(h -> h.domainNames().contains(v)).count())
          .as("%s has exactly one domain (seed %d)", v, seed).isEqualTo(1);
    }
  }

  private static long maintenanceCount(LabHarness lab) {
    return lab.controller.state().hosts().stream().filter(h -> h.state() == HostState.MAINTENANCE).count();
  }
}
