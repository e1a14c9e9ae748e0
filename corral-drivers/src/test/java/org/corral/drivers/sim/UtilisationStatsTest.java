package org.corral.drivers.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.corral.drivers.sim.SimLab.join;
import static org.corral.drivers.sim.SimLab.spec;

import java.time.Duration;
import java.util.List;
import org.corral.drivers.hypervisor.HostStats;
import org.corral.drivers.hypervisor.HypervisorConnection;
import org.junit.jupiter.api.Test;

/** What the Monitor computes from two stats readings equals the workload that was set. */
class UtilisationStatsTest {
  private final SimLab lab = new SimLab(SimLatencies.INSTANT, "node1");
  private final HypervisorConnection node1 = lab.connect("node1");

  @Test
  void constantWorkloadGivesItsShareOfTheHostsCores() {
    lab.dc.setWorkload("web1", WorkloadModel.constant(0.5));
    lab.run(node1, spec("web1", 2, 1024));
    HostStats before = join(node1.stats());

    lab.advance(Duration.ofSeconds(60));
    HostStats after = join(node1.stats());
    assertThat(after.utilisationSince(before, 4)).isCloseTo(0.25, within(1e-9));
    assertThat(after.domainCpuNanos().get("web1")).isEqualTo(60_000_000_000L); // 0.5 x 2 vCPUs x 60 s
    assertThat(after.hostBusyNanos() - before.hostBusyNanos()).isEqualTo(60_000_000_000L);
    assertThat(after.monotonicNanos() - before.monotonicNanos()).isEqualTo(60_000_000_000L);
    assertThat(after.memoryFreeMib()).isEqualTo(8192 - 1024);
  }

  @Test
  void stepWorkloadShowsEachLevelInItsWindow() {
    lab.dc.setWorkload("batch", new WorkloadModel.Step(List.of(
        new WorkloadModel.Level(Duration.ZERO, 0.2), new WorkloadModel.Level(Duration.ofMinutes(10), 0.9))));
    lab.run(node1, spec("batch", 4, 1024));

    HostStats t0 = join(node1.stats());
    lab.advance(Duration.ofMinutes(10));
    HostStats t10 = join(node1.stats());
    lab.advance(Duration.ofMinutes(10));
    HostStats t20 = join(node1.stats());
    assertThat(t10.utilisationSince(t0, 4)).isCloseTo(0.2, within(1e-9));
    assertThat(t20.utilisationSince(t10, 4)).isCloseTo(0.9, within(1e-9));
    assertThat(t20.utilisationSince(t0, 4)).isCloseTo(0.55, within(1e-9));
  }

  @Test
  void traceWorkloadAveragesTheInterpolatedValues() {
    lab.dc.setWorkload("pl", new WorkloadModel.Trace(List.of(0.2, 0.6, 0.4), Duration.ofMinutes(5), false));
    lab.run(node1, spec("pl", 4, 1024));

    HostStats t0 = join(node1.stats());
    lab.advance(Duration.ofMinutes(5));
    HostStats t5 = join(node1.stats());
    lab.advance(Duration.ofMinutes(10));
    HostStats t15 = join(node1.stats());
    assertThat(t5.utilisationSince(t0, 4)).isCloseTo(0.4, within(1e-9)); // mean of 0.2 .. 0.6
    assertThat(t15.utilisationSince(t5, 4)).isCloseTo((0.5 + 0.4) / 2, within(1e-9)); // 0.6..0.4, then 0.4 held
  }

  @Test
  void aPlayedTraceStartsFromItsFirstSampleAtThatInstantWheneverTheDomainStarted() {
    lab.dc.setWorkload("pl", WorkloadModel.constant(0));
    lab.run(node1, spec("pl", 4, 1024));
    lab.advance(Duration.ofMinutes(7)); // the domain has run for 7 minutes: setWorkload would start the trace there
    lab.dc.playWorkload("pl", new WorkloadModel.Trace(List.of(0.2, 0.6, 0.4), Duration.ofMinutes(5), false));
    HostStats t0 = join(node1.stats());
    lab.advance(Duration.ofMinutes(5));
    HostStats t5 = join(node1.stats());
    assertThat(t5.utilisationSince(t0, 4)).isCloseTo(0.4, within(1e-9)); // mean of 0.2 .. 0.6: the trace's first interval
  }

  @Test
  void cpuTimeRestartsWithANewInstanceAndStoppedDomainsAreNotListed() {
    lab.run(node1, spec("web1", 1, 512));
    lab.advance(Duration.ofSeconds(10));
    join(node1.destroy("web1"));
    assertThat(join(node1.stats()).domainCpuNanos()).doesNotContainKey("web1");
    assertThat(join(node1.domain("web1")).orElseThrow().cpuTimeNanos()).isZero();

    join(node1.start("web1"));
    lab.advance(Duration.ofSeconds(10));
    assertThat(join(node1.stats()).domainCpuNanos().get("web1")).isEqualTo(1_000_000_000L); // 10 % of 1 vCPU x 10 s
  }

  @Test
  void changingTheWorkloadOfARunningDomainAppliesFromThen() {
    lab.dc.setWorkload("web1", WorkloadModel.constant(0.1));
    lab.run(node1, spec("web1", 1, 512));
    lab.advance(Duration.ofSeconds(10));
    lab.dc.setWorkload("web1", WorkloadModel.constant(0.7));
    lab.advance(Duration.ofSeconds(10));

    assertThat(join(node1.stats()).domainCpuNanos().get("web1")).isEqualTo(8_000_000_000L);
  }
}
