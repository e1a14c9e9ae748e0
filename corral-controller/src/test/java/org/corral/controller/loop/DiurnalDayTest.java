package org.corral.controller.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.corral.controller.ControllerSettings;
import org.corral.controller.OptimizerSettings;
import org.corral.controller.command.VmRequest;
import org.corral.controller.executor.ExecutorSettings;
import org.corral.controller.testing.LabHarness;
import org.corral.drivers.sim.SimLatencies;
import org.corral.drivers.sim.WorkloadModel;
import org.corral.model.host.HostState;
import org.corral.model.vm.PlacementPolicy;
import org.corral.model.vm.Vm;
import org.corral.model.vm.VmState;
import org.corral.policy.consolidation.ConsolidationSettings;
import org.corral.policy.placement.SchedulerSettings;
import org.junit.jupiter.api.Test;

/**
 * Issue 17's acceptance scenario on the simulated lab, on virtual time: 16 VMs with a day-night
 * load on 8 hosts, Corral's default consolidation policy in full automation. At night the VMs are
 * packed and the empty hosts switched off; in the morning hosts are woken and the VMs spread again;
 * at no moment is a VM on a host that is off or switching; the energy saved shows in the counters.
 */
class DiurnalDayTest {
  @Test
  void nightDrainsAndSwitchesOffMorningWakesAndNoVmIsEverOnAnOffHost() {
    ControllerSettings base = LabHarness.fastSettings();
    ControllerSettings settings = new ControllerSettings(base.seed(), Duration.ofSeconds(10), Duration.ofSeconds(10),
        base.connectTimeout(), base.guardian(), base.utilisationWindow(),
        new SchedulerSettings(PlacementPolicy.STRIPING, 4.0), ExecutorSettings.DEFAULT.withCpuOvercommit(4.0),
        new OptimizerSettings(OptimizerSettings.Automation.FULL, Duration.ofSeconds(60), ConsolidationSettings.DEFAULT),
        org.corral.controller.JournalRetention.DEFAULT);
    LabHarness lab = new LabHarness(8, SimLatencies.DEFAULT, settings);
    lab.startWithInventory();
    Instant midnight = lab.clock.now();
    for (int i = 0; i < 16; i++) {
      lab.cmd().createVm(VmRequest.of(String.format("vm%02d", i), 2, 2048), "t");
    }
    lab.until("all running", () -> lab.controller.state().vms().stream().allMatch(v -> v.state() == VmState.RUNNING),
        Duration.ofMinutes(5));
    for (Vm vm : lab.controller.state().vms()) {
      lab.dc.setWorkload(vm.name(), WorkloadModel.diurnal(0.05, 0.9)); // the day starts at midnight
    }
    long offAtNight = 0;
    long onAtNoon = 0;
    for (int minute = 0; minute < 24 * 60; minute++) {
      for (int s = 0; s < 60; s += 10) {
        lab.run(Duration.ofSeconds(10));
        for (Vm vm : lab.controller.state().vms()) {
          assertThat(vm.state()).as("%s at %s", vm.name(), lab.clock.now()).isIn(VmState.RUNNING, VmState.MIGRATING);
          assertThat(lab.host(vm.host()).state()).as("%s on %s at %s", vm.name(), vm.host(), lab.clock.now())
              .isNotIn(HostState.OFF, HostState.POWERING_OFF, HostState.POWERING_ON);
        }
      }
      long hour = Duration.between(midnight, lab.clock.now()).toHours();
      long off = lab.controller.state().hosts().stream().filter(h -> h.state() == HostState.OFF).count();
      if (hour == 4) {
        offAtNight = Math.max(offAtNight, off);
      }
      if (hour == 13) {
        onAtNoon = Math.max(onAtNoon, 8 - off);
      }
    }
    assertThat(offAtNight).as("at 04:00 most hosts are off").isGreaterThanOrEqualTo(5);
    assertThat(onAtNoon).as("at 13:00 the day's load has woken hosts again").isGreaterThanOrEqualTo(5);
    var energy = lab.controller.energy().report();
    assertThat(energy.savedJoules() / energy.baselineJoules()).as("energy saved over the day").isGreaterThan(0.15);
    System.out.printf("diurnal day: %.2f kWh drawn, %.2f kWh with every host on: %.0f %% saved%n", energy.joules() / 3.6e6,
        energy.baselineJoules() / 3.6e6, 100 * energy.savedJoules() / energy.baselineJoules());
  }
}
