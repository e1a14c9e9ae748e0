package org.corral.controller.energy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

import java.time.Duration;
import org.corral.controller.ControllerSettings;
import org.corral.controller.OptimizerSettings;
import org.corral.controller.command.VmRequest;
import org.corral.controller.store.Store;
import org.corral.controller.testing.LabHarness;
import org.corral.drivers.sim.SimLatencies;
import org.corral.drivers.sim.WorkloadModel;
import org.corral.model.host.HostState;
import org.corral.model.vm.VmState;
import org.corral.policy.consolidation.ConsolidationSettings;
import org.corral.policy.consolidation.MinimumMigrationTime;
import org.corral.policy.consolidation.StaticThreshold;
import org.junit.jupiter.api.Test;

/** Energy counters against the simulated lab's exact accounting, the saving, and a restart. */
class EnergyMeterTest {
  private static LabHarness lab() {
    ControllerSettings settings = LabHarness.fastSettings().withOptimizer(new OptimizerSettings(OptimizerSettings.Automation.FULL,
        Duration.ofSeconds(5), new ConsolidationSettings(new StaticThreshold(0.8), new MinimumMigrationTime(), 0.2, 0.8,
            Duration.ofSeconds(30), 8, 1, 3, 125)));
    LabHarness lab = new LabHarness(4, SimLatencies.DEFAULT, settings);
    lab.startWithInventory();
    lab.cmd().createVm(VmRequest.of("w1", 4, 4096), "t");
    lab.untilVm("w1", VmState.RUNNING, Duration.ofMinutes(1));
    lab.dc.setWorkload("w1", WorkloadModel.constant(0.5));
    return lab;
  }

  @Test
  void countersFollowTheLabsOwnEnergyAndShowTheSaving() {
    LabHarness lab = lab();
    EnergyMeter.Report start = lab.controller.energy().report();
    double simStart = 0;
    for (var h : lab.dc.hosts()) {
      simStart += lab.dc.energyJoules(h.name());
    }
    lab.run(Duration.ofMinutes(30));
    assertThat(lab.controller.state().hosts().stream().filter(h -> h.state() == HostState.OFF).count())
        .as("two of the three empty hosts switched off").isEqualTo(2);
    EnergyMeter.Report r = lab.controller.energy().report();
    double sim = -simStart;
    for (var h : lab.dc.hosts()) {
      sim += lab.dc.energyJoules(h.name());
    }
    double counted = r.joules() - start.joules();
    assertThat(counted).as("Corral's estimate against the lab's exact integral over 30 min").isCloseTo(sim, withPercentage(3));
    assertThat(r.savedJoules()).as("two hosts off for most of the half hour, 100 W idle each").isGreaterThan(2 * 100 * 20 * 60.0);
    assertThat(r.hosts()).hasSize(4).allSatisfy(h -> assertThat(h.source()).isEqualTo("power model"));
    assertThat(r.groups()).as("every lab host carries rack=r1").singleElement().satisfies(g -> {
      assertThat(g.label()).isEqualTo("rack=r1");
      assertThat(g.hosts()).isEqualTo(4);
      assertThat(g.joules()).isCloseTo(r.joules(), withPercentage(0.001));
      assertThat(g.baselineJoules()).isCloseTo(r.baselineJoules(), withPercentage(0.001));
    });
    var registry = (io.micrometer.core.instrument.simple.SimpleMeterRegistry) lab.meters;
    double node01 = registry.get("corral_host_energy_joules_total").tag("host", "node01").functionCounter().count();
    assertThat(node01).as("the Prometheus counter").isCloseTo(lab.controller.energy().joules("node01"), withPercentage(1));
    assertThat(registry.get("corral_energy_saved_joules_total").functionCounter().count()).isPositive();
  }

  @Test
  void countersSurviveARestart() {
    LabHarness lab = lab();
    lab.run(Duration.ofMinutes(5));
    double before = lab.controller.energy().report().joules();
    Store store = lab.store;
    lab.controller.stop(); // persists
    lab.kill();
    lab.start(store);
    double after = lab.controller.energy().report().joules();
    assertThat(after).as("loaded from the store").isGreaterThanOrEqualTo(before);
    assertThat(after).isCloseTo(before, withPercentage(1));
  }
}
