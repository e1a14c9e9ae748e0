package org.corral.drivers.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.corral.drivers.sim.SimLab.join;
import static org.corral.drivers.sim.SimLab.spec;

import java.time.Duration;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.corral.drivers.hypervisor.HypervisorConnection;
import org.corral.model.host.PowerModel;
import org.junit.jupiter.api.Test;

/**
 * Energy against hand computations. The host: 4 cores, 100 W idle to 200 W at full load
 * (linear), 5 W when off. "1e-4 %" is the 1e-6 relative accuracy asked of the accounting.
 */
class EnergyAccountingTest {
  private static final double EXACT = 1e-4; // percent

  @Test
  void constantLoadDrawsTheModelsPowerTimesTime() {
    SimLab lab = new SimLab(SimLatencies.INSTANT, "node1");
    lab.dc.setWorkload("web1", WorkloadModel.constant(0.5));
    lab.run(lab.connect("node1"), spec("web1", 2, 1024)); // 2 of 4 cores at 50 % -> 25 % -> 125 W

    lab.advance(Duration.ofHours(1));
    assertThat(lab.dc.energyJoules("node1")).isCloseTo(125.0 * 3600, withinPercentage(EXACT));
  }

  @Test
  void stepLoadIsIntegratedPerLevelWhateverTheReadingTimes() {
    SimLab lab = new SimLab(SimLatencies.INSTANT, "node1");
    lab.dc.setWorkload("batch", new WorkloadModel.Step(List.of(
        new WorkloadModel.Level(Duration.ZERO, 0.25),
        new WorkloadModel.Level(Duration.ofMinutes(10), 1.0),
        new WorkloadModel.Level(Duration.ofMinutes(30), 0.0))));
    lab.run(lab.connect("node1"), spec("batch", 4, 1024)); // 4 of 4 cores: 125 W, 200 W, 100 W

    lab.advance(Duration.ofMinutes(5));
    assertThat(lab.dc.energyJoules("node1")).isCloseTo(300 * 125.0, withinPercentage(EXACT));
    lab.advance(Duration.ofMinutes(20));
    lab.dc.energyJoules("node1");
    lab.advance(Duration.ofMinutes(35));
    assertThat(lab.dc.energyJoules("node1")).isCloseTo(600 * 125.0 + 1200 * 200.0 + 1800 * 100.0, withinPercentage(EXACT));
  }

  @Test
  void anOffHostDrawsItsOffPowerAndPowerTransitionsDrawIdle() {
    SimLab lab = new SimLab(SimLatencies.DEFAULT, "node1");
    lab.dc.setWorkload("web1", WorkloadModel.constant(0.5));
    lab.run(lab.connect("node1"), spec("web1", 2, 1024)); // 21 s idle (define + boot)
    lab.advance(Duration.ofMinutes(30)); // 125 W

    join(lab.power.powerOff(lab.target("node1"), true));
    lab.advance(Duration.ofMinutes(20)); // 5 W
    var on = lab.power.powerOn(lab.target("node1"));
    lab.advance(Duration.ofSeconds(60)); // 100 W while booting
    join(on);
    lab.advance(Duration.ofMinutes(10)); // 100 W, domain stopped by the power-off
    var off = lab.power.powerOff(lab.target("node1"), false);
    lab.advance(Duration.ofSeconds(35)); // 100 W while shutting down
    join(off);
    lab.advance(Duration.ofSeconds(100)); // 5 W

    double expected = 21 * 100.0 + 1800 * 125.0 + 1200 * 5.0 + 60 * 100.0 + 600 * 100.0 + 35 * 100.0 + 100 * 5.0;
    assertThat(lab.dc.energyJoules("node1")).isCloseTo(expected, withinPercentage(EXACT));
  }

  @Test
  void aTraceAcrossEveryPointOfANonLinearPowerTableIsExact() {
    SimLab lab = new SimLab(SimLatencies.INSTANT);
    PowerModel spec = new PowerModel(List.of(100.0, 120.0, 130.0, 140.0, 150.0, 160.0, 170.0, 180.0, 190.0, 200.0, 250.0), 0);
    lab.dc.addHost("node1", SimLab.CAPACITY, spec, true);
    lab.dc.setWorkload("ramp", new WorkloadModel.Trace(List.of(0.0, 1.0), Duration.ofSeconds(100), false));
    lab.run(lab.connect("node1"), spec("ramp", 4, 1024));

    lab.advance(Duration.ofSeconds(37)); // a reading in the middle of a table segment
    lab.dc.energyJoules("node1");
    lab.advance(Duration.ofSeconds(163));
    // 0 -> 100 % in 100 s: 10 s per table segment at its mean power; then 100 s at 250 W.
    double ramp = 10 * (110 + 125 + 135 + 145 + 155 + 165 + 175 + 185 + 195 + 225);
    assertThat(lab.dc.energyJoules("node1")).isCloseTo(ramp + 100 * 250.0, withinPercentage(EXACT));
  }

  @Test
  void overcommittedLoadIsCappedAtFullPower() {
    SimLab lab = new SimLab(SimLatencies.INSTANT, "node1");
    lab.dc.setDefaultWorkload(WorkloadModel.constant(1.0));
    HypervisorConnection c = lab.connect("node1");
    lab.run(c, spec("a", 4, 1024));
    lab.run(c, spec("b", 4, 1024));

    lab.advance(Duration.ofMinutes(1));
    assertThat(lab.dc.energyJoules("node1")).isCloseTo(60 * 200.0, withinPercentage(EXACT));
  }

  @Test
  void totalIsTheSumOverHosts() {
    SimLab lab = new SimLab(SimLatencies.INSTANT, "node1", "node2");
    lab.run(lab.connect("node1"), spec("web1", 4, 1024)); // default 10 %: 110 W
    join(lab.power.powerOff(lab.target("node2"), true)); // 5 W

    lab.advance(Duration.ofMinutes(10));
    assertThat(lab.dc.totalEnergyJoules()).isCloseTo(600 * 110.0 + 600 * 5.0, withinPercentage(EXACT));
    assertThat(lab.dc.totalEnergyJoules()).isEqualTo(lab.dc.energyJoules("node1") + lab.dc.energyJoules("node2"));
  }

  @Property(tries = 60, seed = "20261126")
  void constantLoadsGiveTheTablesPowerOfTheirSum(@ForAll @DoubleRange(min = 0, max = 1) double u1,
      @ForAll @DoubleRange(min = 0, max = 1) double u2, @ForAll @IntRange(min = 1, max = 4) int v1,
      @ForAll @IntRange(min = 1, max = 4) int v2, @ForAll @IntRange(min = 1, max = 100_000) int seconds) {
    SimLab lab = new SimLab(SimLatencies.INSTANT, "node1");
    lab.dc.setWorkload("a", WorkloadModel.constant(u1));
    lab.dc.setWorkload("b", WorkloadModel.constant(u2));
    HypervisorConnection c = lab.connect("node1");
    lab.run(c, spec("a", v1, 1024));
    lab.run(c, spec("b", v2, 1024));

    lab.advance(Duration.ofSeconds(seconds));
    double watts = SimLab.POWER.wattsAt(Math.min(1, (u1 * v1 + u2 * v2) / 4));
    assertThat(lab.dc.energyJoules("node1")).isCloseTo(watts * seconds, withinPercentage(EXACT));
  }

  @Property(tries = 40, seed = "20261126")
  void readingsInBetweenDoNotChangeTheEnergyOfATrace(@ForAll @Size(min = 2, max = 12) List<@DoubleRange(min = 0, max = 1) Double> values,
      @ForAll @Size(max = 6) List<@IntRange(min = 1, max = 4_000) Integer> readingGaps) {
    PowerModel curved = new PowerModel(List.of(90.0, 100.0, 104.0, 110.0, 121.0, 133.0, 150.0, 161.0, 180.0, 200.0, 230.0), 4);
    double[] energy = new double[2];
    for (int pass = 0; pass < 2; pass++) {
      SimLab lab = new SimLab(SimLatencies.INSTANT);
      lab.dc.addHost("node1", SimLab.CAPACITY, curved, true);
      lab.dc.setWorkload("t", new WorkloadModel.Trace(values, Duration.ofSeconds(300), true));
      lab.run(lab.connect("node1"), spec("t", 3, 1024));
      int elapsed = 0;
      if (pass == 1) {
        for (int gap : readingGaps) {
          lab.advance(Duration.ofSeconds(gap));
          lab.dc.energyJoules("node1");
          elapsed += gap;
        }
      }
      lab.advance(Duration.ofSeconds(30_000 - elapsed));
      energy[pass] = lab.dc.energyJoules("node1");
    }
    assertThat(energy[1]).isCloseTo(energy[0], withinPercentage(EXACT));
  }
}
