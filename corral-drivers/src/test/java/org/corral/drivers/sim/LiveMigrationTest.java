package org.corral.drivers.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.corral.drivers.sim.SimLab.done;
import static org.corral.drivers.sim.SimLab.failure;
import static org.corral.drivers.sim.SimLab.join;
import static org.corral.drivers.sim.SimLab.spec;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.corral.drivers.DriverException.Kind;
import org.corral.drivers.hypervisor.DomainEvent;
import org.corral.drivers.hypervisor.DomainState;
import org.corral.drivers.hypervisor.HypervisorConnection;
import org.corral.drivers.hypervisor.MigrationOptions;
import org.corral.drivers.hypervisor.MigrationProgress;
import org.junit.jupiter.api.Test;

/** Live migration with DEFAULT latencies: 2 s + 4096 MiB at 1000 MiB/s = 6.096 s for "vm". */
class LiveMigrationTest {
  private static final long TOTAL = 4096L * 1024 * 1024;
  private static final Duration TAKES = Duration.ofMillis(6096);

  private final SimLab lab = new SimLab(SimLatencies.DEFAULT, "src", "dst");
  private final HypervisorConnection src = lab.connect("src");
  private final HypervisorConnection dst = lab.connect("dst");
  private final List<MigrationProgress> progress = new ArrayList<>();

  LiveMigrationTest() {
    lab.dc.setWorkload("vm", WorkloadModel.constant(0.5));
    lab.run(src, spec("vm", 2, 4096));
  }

  private CompletionStage<Void> migrate(MigrationOptions options) {
    return src.migrate("vm", dst, options, progress::add);
  }

  @Test
  void succeedsAfterBasePlusCopyTimeAndMovesTheDomain() {
    lab.events.clear();
    CompletionStage<Void> m = migrate(MigrationOptions.DEFAULT);

    assertThat(lab.dc.host("dst").orElseThrow().freeMemoryMib()).as("memory held on the destination").isEqualTo(8192 - 4096);
    lab.advance(TAKES.minusMillis(1));
    assertThat(done(m)).isFalse();
    assertThat(lab.state(src, "vm")).as("still on the source meanwhile").isEqualTo(DomainState.RUNNING);
    lab.advance(Duration.ofMillis(1));
    join(m);

    assertThat(join(src.domain("vm"))).as("gone from the source").isEmpty();
    assertThat(lab.state(dst, "vm")).isEqualTo(DomainState.RUNNING);
    assertThat(lab.dc.host("dst").orElseThrow().freeMemoryMib()).isEqualTo(8192 - 4096);
    assertThat(lab.dc.host("src").orElseThrow().freeMemoryMib()).isEqualTo(8192);
    assertThat(progress).first().isEqualTo(new MigrationProgress(0, TOTAL));
    assertThat(progress).last().isEqualTo(new MigrationProgress(TOTAL, TOTAL));
    assertThat(progress).extracting(MigrationProgress::processedBytes).isSorted().hasSize(5);
    assertThat(lab.events).extracting(DomainEvent::kind).containsExactly(DomainEvent.Kind.MIGRATED, DomainEvent.Kind.MIGRATED);
    assertThat(lab.events).extracting(DomainEvent::hostUri).containsExactly(lab.dc.uriOf("src"), lab.dc.uriOf("dst"));
  }

  @Test
  void theWorkloadGoesOnOnTheDestination() {
    lab.dc.setWorkload("vm", new WorkloadModel.Step(List.of(
        new WorkloadModel.Level(Duration.ZERO, 0.5), new WorkloadModel.Level(Duration.ofMinutes(10), 1.0))));
    lab.advance(Duration.ofMinutes(9));
    CompletionStage<Void> m = migrate(MigrationOptions.DEFAULT);
    lab.advance(TAKES);
    join(m);

    var before = join(dst.stats());
    lab.advance(Duration.ofMinutes(2)); // crosses 10 min after the start: the second level
    double expected = (53.904 * 0.25 + 66.096 * 0.5) / 120; // 2 of 4 cores at 50 %, then at 100 %
    assertThat(join(dst.stats()).utilisationSince(before, 4)).isCloseTo(expected, within(1e-9));
  }

  @Test
  void bandwidthLimitSlowsTheCopy() {
    CompletionStage<Void> m = migrate(new MigrationOptions(512, true, Duration.ofMinutes(10)));

    lab.advance(Duration.ofSeconds(9)); // 2 s + 8 s at 512 MiB/s
    assertThat(done(m)).isFalse();
    lab.advance(Duration.ofSeconds(1));
    join(m);
  }

  @Test
  void anInjectedFailureFailsTransientPartWayAndLeavesTheDomainOnTheSource() {
    lab.dc.failNextMigrations("vm", 1);
    CompletionStage<Void> m = migrate(MigrationOptions.DEFAULT);

    lab.advance(TAKES.multipliedBy(8).dividedBy(10));
    var e = failure(m);
    assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
    assertThat(e.getMessage()).contains("injected");
    assertThat(lab.state(src, "vm")).isEqualTo(DomainState.RUNNING);
    assertThat(join(dst.domain("vm"))).isEmpty();
    assertThat(lab.dc.host("dst").orElseThrow().freeMemoryMib()).as("reservation released").isEqualTo(8192);
    assertThat(progress).first().isEqualTo(new MigrationProgress(0, TOTAL));

    CompletionStage<Void> retry = migrate(MigrationOptions.DEFAULT);
    lab.advance(TAKES);
    join(retry);
    assertThat(lab.state(dst, "vm")).isEqualTo(DomainState.RUNNING);
  }

  @Test
  void theTimeoutAbortsTheMigration() {
    CompletionStage<Void> m = migrate(new MigrationOptions(0, true, Duration.ofSeconds(3)));

    lab.advance(Duration.ofSeconds(3));
    var e = failure(m);
    assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(lab.state(src, "vm")).isEqualTo(DomainState.RUNNING);
    assertThat(join(dst.domain("vm"))).isEmpty();
    lab.advance(Duration.ofMinutes(1));
    assertThat(join(dst.domain("vm"))).as("nothing arrives later").isEmpty();
  }

  @Test
  void aDestinationWithoutRoomRefuses() {
    lab.run(dst, spec("hog", 4, 6144));

    var e = failure(migrate(MigrationOptions.DEFAULT));
    assertThat(e.kind()).isEqualTo(Kind.REJECTED);
    assertThat(e.getMessage()).contains("not enough memory on dst");
  }

  @Test
  void aDestinationThatDoesNotAnswerFailsUnreachable() {
    lab.dc.partitionHost("dst", true);

    assertThat(failure(migrate(MigrationOptions.DEFAULT)).kind()).isEqualTo(Kind.UNREACHABLE);
    assertThat(lab.state(src, "vm")).isEqualTo(DomainState.RUNNING);
  }

  @Test
  void aCrashOfTheDestinationMidwayAbortsIt() {
    CompletionStage<Void> m = migrate(MigrationOptions.DEFAULT);
    lab.advance(Duration.ofSeconds(3));
    lab.dc.crashHost("dst");

    assertThat(failure(m).kind()).isEqualTo(Kind.UNREACHABLE);
    assertThat(lab.state(src, "vm")).isEqualTo(DomainState.RUNNING);
  }

  @Test
  void aStoppedDomainCannotBeLiveMigrated() {
    join(src.destroy("vm"));

    assertThat(failure(migrate(MigrationOptions.DEFAULT)).kind()).isEqualTo(Kind.REJECTED);
  }

  @Test
  void rerunningAFinishedMigrationSucceedsAndOneInFlightIsJoined() {
    CompletionStage<Void> first = migrate(MigrationOptions.DEFAULT);
    CompletionStage<Void> again = migrate(MigrationOptions.DEFAULT);
    lab.advance(TAKES);
    join(first);
    join(again);

    join(migrate(MigrationOptions.DEFAULT));
    assertThat(lab.state(dst, "vm")).isEqualTo(DomainState.RUNNING);
  }

  @Test
  void aDestinationConnectionWrappedByTheCallerIsResolvedByItsUri() {
    HypervisorConnection wrapped = (HypervisorConnection) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {HypervisorConnection.class}, (proxy, method, args) -> method.invoke(dst, args));
    CompletionStage<Void> m = src.migrate("vm", wrapped, MigrationOptions.DEFAULT, p -> { });

    lab.advance(TAKES);
    join(m);
    assertThat(lab.state(dst, "vm")).isEqualTo(DomainState.RUNNING);
  }

  @Test
  void aDestinationInAnotherDataCentreIsRejected() {
    SimDataCenter elsewhere = new SimDataCenter("elsewhere", lab.clock, 1, SimLatencies.DEFAULT);
    elsewhere.addHost("far", SimLab.CAPACITY, SimLab.POWER, true);

    var e = failure(src.migrate("vm", join(new SimHypervisorDriver(elsewhere).connect(elsewhere.uriOf("far"))),
        MigrationOptions.DEFAULT, p -> { }));
    assertThat(e.kind()).isEqualTo(Kind.REJECTED);
    assertThat(e.getMessage()).contains("not a host of simulated data centre lab");
  }

  @Test
  void migratingToTheSameHostIsRejected() {
    assertThat(failure(src.migrate("vm", src, MigrationOptions.DEFAULT, p -> { })).kind()).isEqualTo(Kind.REJECTED);
  }
}
