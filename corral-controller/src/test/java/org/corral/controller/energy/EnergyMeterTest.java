package org.corral.controller.energy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.corral.controller.ControllerSettings;
import org.corral.controller.OptimizerSettings;
import org.corral.controller.command.VmRequest;
import org.corral.controller.store.Store;
import org.corral.controller.testing.LabHarness;
import org.corral.drivers.DriverException;
import org.corral.drivers.power.PowerDriver;
import org.corral.drivers.power.PowerReading;
import org.corral.drivers.power.PowerStatus;
import org.corral.drivers.power.PowerTarget;
import org.corral.drivers.sim.SimLatencies;
import org.corral.drivers.sim.WorkloadModel;
import org.corral.model.host.HostState;
import org.corral.model.vm.VmState;
import org.corral.policy.consolidation.ConsolidationSettings;
import org.corral.policy.consolidation.MinimumMigrationTime;
import org.corral.policy.consolidation.StaticThreshold;
import org.junit.jupiter.api.Test;

/**
 * Energy counters against the simulated lab's exact accounting, the saving, a restart, and
 * measured power from BMCs that report it (the lab's BMCs given a reading by {@link MeteredBmcs}).
 */
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
    assertThat(r.hosts()).hasSize(4).allSatisfy(h -> {
      assertThat(h.source()).isEqualTo(EnergyMeter.Source.MODEL);
      assertThat(h.detail()).startsWith("power model").endsWith("not measured: sim power control does not measure power");
    });
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

  /**
   * Today's energy begins at midnight in the controller's zone: a meter at UTC-1 on the lab's
   * virtual clock (which starts at 00:00 UTC, 23:00 local) counts from its start until local
   * midnight (01:00 UTC), then starts the new day from zero, counting exactly what the
   * controller's own meter counts from then on; the everything-on counterfactual charges the hosts
   * the optimizer switched off at their idle power.
   */
  @Test
  void todayStartsAtMidnightInTheControllersZoneAndComparesWithEveryHostOn() {
    LabHarness lab = lab();
    java.time.ZoneOffset zone = java.time.ZoneOffset.ofHours(-1);
    EnergyMeter meter = new EnergyMeter(lab.controller.state(), lab.clock, Map.of(), lab.controller.drivers(), Duration.ofSeconds(1),
        null, zone);
    java.time.Instant started = lab.clock.now();
    org.corral.controller.loop.Loop.every("today", lab.clock, Duration.ofSeconds(1), 1, meter::tick).start();
    java.time.Instant midnight = java.time.Instant.parse("2026-01-01T01:00:00Z");
    lab.run(Duration.between(lab.clock.now(), midnight.minusSeconds(30)));
    EnergyMeter.Today before = meter.today();
    assertThat(before.day()).isEqualTo(java.time.LocalDate.parse("2025-12-31"));
    assertThat(before.zone()).isEqualTo("-01:00");
    assertThat(before.from()).as("counting began after local midnight").isEqualTo(started);
    assertThat(before.joules()).isPositive();

    lab.run(Duration.ofSeconds(30));
    double atMidnight = lab.controller.energy().report().joules();
    lab.run(Duration.ofHours(1));
    double hour = lab.controller.energy().report().joules() - atMidnight;
    EnergyMeter.Today today = meter.today();
    assertThat(today.day()).isEqualTo(java.time.LocalDate.parse("2026-01-01"));
    assertThat(today.from()).isEqualTo(midnight);
    assertThat(today.at()).isEqualTo(midnight.plus(Duration.ofHours(1)));
    assertThat(today.joules()).as("the hour since local midnight, as the controller's meter counted it").isCloseTo(hour, withPercentage(1));
    assertThat(lab.controller.state().hosts().stream().filter(h -> h.state() == HostState.OFF).count()).isEqualTo(2);
    assertThat(today.savedJoules()).as("two hosts off all hour, counted at their 100 W idle had they stayed on")
        .isGreaterThan(2 * 90 * 3600.0);
    assertThat(today.baselineJoules()).isCloseTo(today.joules() + today.savedJoules(), withPercentage(0.001));
  }

  @Test
  void countersSurviveARestart() {
    LabHarness lab = lab();
    lab.run(Duration.ofMinutes(5));
    double before = lab.controller.energy().report().joules();
    EnergyMeter.Today todayBefore = lab.controller.energy().today();
    Store store = lab.store;
    lab.controller.stop(); // persists
    lab.kill();
    lab.start(store);
    double after = lab.controller.energy().report().joules();
    assertThat(after).as("loaded from the store").isGreaterThanOrEqualTo(before);
    assertThat(after).isCloseTo(before, withPercentage(1));
    EnergyMeter.Today todayAfter = lab.controller.energy().today();
    assertThat(todayAfter.day()).isEqualTo(todayBefore.day());
    assertThat(todayAfter.from()).as("today's counters kept, from the same start").isEqualTo(todayBefore.from());
    assertThat(todayAfter.joules()).isCloseTo(todayBefore.joules(), withPercentage(1));
    assertThat(todayAfter.watts()).isPositive();
  }

  /**
   * The lab's BMCs, with a power reading for the hosts a test names (the others answer as the
   * simulated BMC does: no reading). Counts the readings asked per host. Thread-safe.
   */
  static final class MeteredBmcs implements PowerDriver {
    private final PowerDriver sim;
    final Map<String, Supplier<CompletionStage<PowerReading>>> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();

    MeteredBmcs(PowerDriver sim) {
      this.sim = sim;
    }

    int asked(String host) {
      return asked.getOrDefault(host, new AtomicInteger()).get();
    }

    void answer(String host, PowerReading r) {
      answers.put(host, () -> CompletableFuture.completedFuture(r));
    }

    @Override public Set<String> schemes() { return sim.schemes(); }
    @Override public CompletionStage<Void> powerOn(PowerTarget t) { return sim.powerOn(t); }
    @Override public CompletionStage<Void> powerOff(PowerTarget t, boolean hard) { return sim.powerOff(t, hard); }
    @Override public CompletionStage<Void> cycle(PowerTarget t) { return sim.cycle(t); }
    @Override public CompletionStage<PowerStatus> status(PowerTarget t) { return sim.status(t); }

    @Override
    public CompletionStage<PowerReading> powerReading(PowerTarget t) {
      asked.computeIfAbsent(t.host(), k -> new AtomicInteger()).incrementAndGet();
      Supplier<CompletionStage<PowerReading>> a = answers.get(t.host());
      return a != null ? a.get() : sim.powerReading(t);
    }
  }

  private static LabHarness meteredLab(MeteredBmcs[] bmcs) {
    LabHarness lab = new LabHarness(2, SimLatencies.DEFAULT); // recommend mode: both hosts stay on
    lab.powerWrapper = sim -> bmcs[0] = new MeteredBmcs(sim);
    lab.start(null);
    bmcs[0].answer("node01", new PowerReading.Measured(180));
    lab.addInventory();
    return lab;
  }

  private static EnergyMeter.HostEnergy line(LabHarness lab, String host) {
    return lab.controller.energy().report().hosts().stream().filter(h -> h.name().equals(host)).findFirst().orElseThrow();
  }

  @Test
  void measuredPowerIsCountedWhereTheBmcReportsItAndTheModelElsewhere() {
    MeteredBmcs[] bmcs = new MeteredBmcs[1];
    LabHarness lab = meteredLab(bmcs);
    double before = line(lab, "node01").joules();
    lab.run(Duration.ofMinutes(10));

    EnergyMeter.HostEnergy node01 = line(lab, "node01");
    assertThat(node01.source()).isEqualTo(EnergyMeter.Source.MEASURED);
    assertThat(node01.watts()).isEqualTo(180);
    assertThat(node01.detail()).startsWith("measured by its power controller (sim) at 2026-01-01T00:");
    assertThat(node01.joules() - before).as("180 W for 600 s, not the model's 100 W idle").isCloseTo(180 * 600.0, withPercentage(0.5));
    assertThat(bmcs[0].asked("node01")).as("asked at most once per 1 s interval").isBetween(590, 603);

    EnergyMeter.HostEnergy node02 = line(lab, "node02");
    assertThat(node02.source()).isEqualTo(EnergyMeter.Source.MODEL);
    assertThat(node02.watts()).isEqualTo(100);
    assertThat(node02.detail()).isEqualTo("power model at 0 % CPU; not measured: sim power control does not measure power");
    assertThat(bmcs[0].asked("node02")).as("a BMC that reports no power is asked again only after an hour").isEqualTo(1);
    lab.run(Duration.ofMinutes(51));
    assertThat(bmcs[0].asked("node02")).isEqualTo(2);
  }

  @Test
  void aFailingSilentOrZeroReadingFallsBackToTheModelWithTheReasonAndBacksOff() {
    MeteredBmcs[] bmcs = new MeteredBmcs[1];
    LabHarness lab = meteredLab(bmcs);
    lab.run(Duration.ofMinutes(1));
    assertThat(line(lab, "node01").source()).isEqualTo(EnergyMeter.Source.MEASURED);

    // The BMC stops answering: the last reading stands for three intervals, then the model.
    bmcs[0].answers.put("node01", () -> CompletableFuture.failedFuture(
        new DriverException(DriverException.Kind.UNREACHABLE, "BMC 10.0.0.11 did not answer (test)")));
    int asked = bmcs[0].asked("node01");
    lab.run(Duration.ofSeconds(5));
    EnergyMeter.HostEnergy failing = line(lab, "node01");
    assertThat(failing.source()).isEqualTo(EnergyMeter.Source.MODEL);
    assertThat(failing.watts()).as("the model's idle power").isEqualTo(100);
    assertThat(failing.detail()).endsWith("not measured: power reading failed: BMC 10.0.0.11 did not answer (test)");
    lab.run(Duration.ofMinutes(30));
    assertThat(bmcs[0].asked("node01") - asked).as("backoff 1 s, 2 s, 4 s ... up to 15 min: about 12 tries in 30 min")
        .isBetween(10, 14);

    // A BMC that never answers: one call in flight, dropped after 60 s; the loop goes on.
    bmcs[0].answers.put("node01", CompletableFuture::new);
    asked = bmcs[0].asked("node01");
    lab.run(Duration.ofMinutes(16));
    assertThat(bmcs[0].asked("node01") - asked).as("one try within the 15 min backoff, then its 60 s timeout").isBetween(1, 2);
    assertThat(line(lab, "node01").detail()).contains("power reading of node01 via sim did not finish within 60s");

    // A BMC that reads 0 W for a host that is on does not fill its figure in.
    bmcs[0].answer("node01", new PowerReading.Measured(0));
    lab.until("node01 asked again", () -> line(lab, "node01").detail().contains("0 W"), Duration.ofMinutes(16));
    assertThat(line(lab, "node01").source()).isEqualTo(EnergyMeter.Source.MODEL);
    assertThat(line(lab, "node01").detail()).endsWith("not measured: the power controller reads 0 W while the host is UP");

    // Back to a real figure: measured again.
    bmcs[0].answer("node01", new PowerReading.Measured(150));
    lab.run(Duration.ofSeconds(3));
    assertThat(line(lab, "node01").source()).isEqualTo(EnergyMeter.Source.MEASURED);
    assertThat(line(lab, "node01").watts()).isEqualTo(150);
  }
}
