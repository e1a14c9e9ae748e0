package org.corral.drivers.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.corral.drivers.sim.SimLab.join;
import static org.corral.drivers.sim.SimLab.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.corral.drivers.hypervisor.DomainState;
import org.corral.drivers.hypervisor.DomainStatus;
import org.corral.drivers.hypervisor.HypervisorConnection;
import org.corral.drivers.hypervisor.LeaseStatus;
import org.corral.model.InvalidInputException;
import org.corral.model.time.VirtualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lab survives the controller: save, kill, load, and it carries on as if nothing happened. */
class LabStateFileTest {
  @TempDir
  Path dir;

  private final SimLab lab = new SimLab(SimLatencies.DEFAULT, "node1", "node2", "node3");
  private final HypervisorConnection node1 = lab.connect("node1");

  LabStateFileTest() {
    lab.dc.setWorkload("web1", new WorkloadModel.Trace(List.of(0.2, 0.9, 0.5), Duration.ofMinutes(5), true));
    lab.dc.setDefaultWorkload(new WorkloadModel.Step(List.of(new WorkloadModel.Level(Duration.ZERO, 0.3),
        new WorkloadModel.Level(Duration.ofMinutes(20), 0.6))));
    lab.run(node1, spec("web1", 2, 2048));
    lab.run(node1, spec("db1", 4, 4096));
    lab.define(node1, spec("spare", 1, 512));
    join(lab.power.powerOff(lab.target("node2"), true));
    lab.dc.setBmcReachable("node2", false);
    lab.dc.partitionHost("node3", true);
    lab.dc.failNextMigrations("db1", 2);
    lab.advance(Duration.ofMinutes(17));
  }

  @Test
  void aLoadedLabIsTheSavedLabAndCarriesOnIdentically() {
    Path file = dir.resolve("lab.json");
    lab.dc.saveTo(file);
    VirtualClock clock2 = new VirtualClock(lab.clock.now());
    SimDataCenter loaded = SimDataCenter.loadFrom(file, clock2, SimLatencies.DEFAULT);

    assertThat(loaded.name()).isEqualTo("lab");
    assertThat(loaded.hosts()).extracting(SimHost::name).containsExactly("node1", "node2", "node3");
    assertThat(loaded.host("node2").orElseThrow().power()).isEqualTo(SimPower.OFF);
    assertThat(loaded.host("node2").orElseThrow().bmcReachable()).isFalse();
    assertThat(loaded.host("node3").orElseThrow().partitioned()).isTrue();
    assertThat(loaded.faultLog()).isEqualTo(lab.dc.faultLog());
    assertThat(loaded.workload("web1")).isEqualTo(lab.dc.workload("web1"));
    assertThat(loaded.workload("other")).isEqualTo(lab.dc.workload("other"));
    assertThat(loaded.totalEnergyJoules()).isEqualTo(lab.dc.totalEnergyJoules());

    HypervisorConnection again = join(new SimHypervisorDriver(loaded).connect(loaded.uriOf("node1")));
    assertThat(join(again.domains())).isEqualTo(join(node1.domains()));

    lab.advance(Duration.ofHours(1));
    clock2.advance(Duration.ofHours(1));
    assertThat(join(again.stats())).isEqualTo(join(node1.stats()));
    assertThat(loaded.totalEnergyJoules()).isCloseTo(lab.dc.totalEnergyJoules(), withinPercentage(1e-9));
  }

  @Test
  void aStorageCutAndAStoppedLibvirtdSurviveARestartAndTheLeasesRunOutWhenTheyWould() {
    lab.dc.setLeaseTime(Duration.ofSeconds(30));
    lab.dc.cutStorage("node1", true);
    lab.dc.stopHypervisor("node3");
    lab.advance(Duration.ofSeconds(10));
    Path file = dir.resolve("lab.json");
    lab.dc.saveTo(file);
    VirtualClock clock2 = new VirtualClock(lab.clock.now());
    SimDataCenter loaded = SimDataCenter.loadFrom(file, clock2, SimLatencies.DEFAULT);

    assertThat(loaded.host("node1").orElseThrow().storageCut()).isTrue();
    assertThat(loaded.host("node3").orElseThrow().daemonDown()).isTrue();
    assertThat(loaded.host("node3").orElseThrow().answers()).isFalse();
    assertThat(loaded.leaseTime()).isEqualTo(Duration.ofSeconds(30));
    HypervisorConnection again = join(new SimHypervisorDriver(loaded).connect(loaded.uriOf("node1")));
    clock2.advance(Duration.ofSeconds(19));
    lab.advance(Duration.ofSeconds(19));
    assertThat(loaded.leaseStatus("node1")).as("20 s of the 30 s lease are left at the save").isEqualTo(LeaseStatus.HELD);
    assertThat(join(again.domains())).isEqualTo(join(node1.domains()));

    clock2.advance(Duration.ofSeconds(1));
    lab.advance(Duration.ofSeconds(1));
    assertThat(loaded.leaseStatus("node1")).isEqualTo(LeaseStatus.EXPIRED).isEqualTo(lab.dc.leaseStatus("node1"));
    assertThat(join(again.domains())).as("the expired leases killed web1 and db1 in both").isEqualTo(join(node1.domains()))
        .allMatch(d -> d.state() != DomainState.RUNNING);

    loaded.startHypervisor("node3");
    assertThat(loaded.host("node3").orElseThrow().daemonDown()).isFalse();
    assertThat(loaded.host("node3").orElseThrow().partitioned()).as("only the daemon came back").isTrue();
    loaded.partitionHost("node3", false);
    assertThat(loaded.host("node3").orElseThrow().answers()).isTrue();
  }

  @Test
  void timeThatPassedWhileNobodyWatchedIsAccounted() {
    Path file = dir.resolve("lab.json");
    lab.dc.saveTo(file);
    lab.advance(Duration.ofHours(2));

    SimDataCenter loaded = SimDataCenter.loadFrom(file, new VirtualClock(lab.clock.now()), SimLatencies.DEFAULT);
    assertThat(loaded.totalEnergyJoules()).isCloseTo(lab.dc.totalEnergyJoules(), withinPercentage(1e-9));
  }

  @Test
  void aClockBehindTheFileResumesTheLabAtItsNow() {
    Path file = dir.resolve("lab.json");
    lab.dc.saveTo(file);
    VirtualClock fresh = new VirtualClock(Instant.parse("2020-01-01T00:00:00Z"));
    SimDataCenter loaded = SimDataCenter.loadFrom(file, fresh, SimLatencies.DEFAULT);
    HypervisorConnection again = join(new SimHypervisorDriver(loaded).connect(loaded.uriOf("node1")));
    double before = loaded.totalEnergyJoules();

    lab.advance(Duration.ofMinutes(30));
    fresh.advance(Duration.ofMinutes(30));
    assertThat(join(again.domains())).isEqualTo(join(node1.domains()));
    assertThat(loaded.totalEnergyJoules() - before).isGreaterThan(0);
  }

  @Test
  void operationsInFlightAreSavedAsTheStateTheyStartedFrom() {
    lab.define(node1, spec("late", 1, 512));
    node1.start("late");
    node1.shutdown("web1", Duration.ofMinutes(1));
    lab.dc.setBmcReachable("node2", true);
    lab.power.powerOn(lab.target("node2"));
    Path file = dir.resolve("lab.json");
    lab.dc.saveTo(file);

    SimDataCenter loaded = SimDataCenter.loadFrom(file, new VirtualClock(lab.clock.now()), SimLatencies.DEFAULT);
    HypervisorConnection again = join(new SimHypervisorDriver(loaded).connect(loaded.uriOf("node1")));
    assertThat(join(again.domain("late")).orElseThrow().state()).isEqualTo(DomainState.SHUTOFF);
    assertThat(join(again.domain("web1")).orElseThrow().state()).isEqualTo(DomainState.RUNNING);
    assertThat(loaded.host("node2").orElseThrow().power()).isEqualTo(SimPower.OFF);
  }

  @Test
  void autosaveWritesEveryChangeAtomically() throws IOException {
    Path file = dir.resolve("state").resolve("lab.json");
    lab.dc.autosave(file);
    assertThat(file).exists();

    join(node1.destroy("db1"));
    SimDataCenter loaded = SimDataCenter.loadFrom(file, new VirtualClock(lab.clock.now()), SimLatencies.DEFAULT);
    assertThat(join(join(new SimHypervisorDriver(loaded).connect(loaded.uriOf("node1"))).domains()))
        .filteredOn(d -> d.name().equals("db1")).extracting(DomainStatus::state).containsExactly(DomainState.SHUTOFF);
    try (var files = Files.list(file.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("lab.json");
    }

    lab.dc.autosave(null);
    join(node1.destroy("web1"));
    SimDataCenter stale = SimDataCenter.loadFrom(file, new VirtualClock(lab.clock.now()), SimLatencies.DEFAULT);
    assertThat(stale.host("node1").orElseThrow().domainNames()).contains("web1");
    assertThat(join(join(new SimHypervisorDriver(stale).connect(stale.uriOf("node1"))).domain("web1")).orElseThrow().state())
        .as("not saved after autosave stopped").isEqualTo(DomainState.RUNNING);
  }

  @Test
  void aFileFromAnotherVersionIsRefused() throws IOException {
    Path file = dir.resolve("lab.json");
    lab.dc.saveTo(file);
    Files.writeString(file, Files.readString(file).replaceFirst("\"version\" : 1", "\"version\" : 99"));

    assertThatThrownBy(() -> SimDataCenter.loadFrom(file, new VirtualClock(), SimLatencies.DEFAULT))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("stateFile.version"));
  }
}
