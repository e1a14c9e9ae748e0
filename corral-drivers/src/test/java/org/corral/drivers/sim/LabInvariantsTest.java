package org.corral.drivers.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.corral.drivers.DriverException;
import org.corral.drivers.hypervisor.HypervisorConnection;
import org.corral.drivers.hypervisor.MigrationOptions;

/**
 * Random runs of operations and faults against a three-host lab, checking after every step what
 * must always hold: no host's memory is overcommitted, no migration leaves a domain active on two
 * hosts, energy
 * never decreases; and at the end, once time has passed, that every stage handed out completed
 * and nothing is left pending or reserved.
 */
class LabInvariantsTest {
  private static final String[] HOSTS = {"a", "b", "c"};
  private static final String[] DOMAINS = {"d0", "d1"};

  enum Kind { DEFINE, START, SHUTDOWN, DESTROY, UNDEFINE, REBOOT, MIGRATE, CRASH, CRASH_DOMAIN, PARTITION, HEAL,
    POWER_ON, POWER_OFF, HARD_OFF, FAIL_MIGRATION }

  record Op(Kind kind, int host, int other, int domain, int advanceSeconds) {}

  @Provide
  Arbitrary<List<Op>> runs() {
    // Lifecycle operations are frequent, faults rarer, so that runs reach running and migrating domains.
    Arbitrary<Kind> kind = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.just(Kind.DEFINE)), net.jqwik.api.Tuple.of(6, Arbitraries.just(Kind.START)),
        net.jqwik.api.Tuple.of(6, Arbitraries.just(Kind.MIGRATE)), net.jqwik.api.Tuple.of(8, Arbitraries.of(
            Kind.SHUTDOWN, Kind.DESTROY, Kind.UNDEFINE, Kind.REBOOT)),
        net.jqwik.api.Tuple.of(2, Arbitraries.of(Kind.CRASH, Kind.CRASH_DOMAIN, Kind.PARTITION, Kind.HEAL, Kind.POWER_ON,
            Kind.POWER_OFF, Kind.HARD_OFF, Kind.FAIL_MIGRATION)));
    Arbitrary<Op> op = Combinators.combine(kind, Arbitraries.integers().between(0, 2),
        Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 1), Arbitraries.integers().between(0, 40))
        .as(Op::new);
    return op.list().ofMinSize(5).ofMaxSize(60);
  }

  @Property(tries = 200, seed = "20261126")
  void invariantsHoldThroughAnyRun(@ForAll("runs") List<Op> run) {
    SimLab lab = new SimLab(SimLatencies.DEFAULT);
    for (String h : HOSTS) {
      lab.dc.addHost(h, new org.corral.model.host.HostCapacity(4, 2600, 4096), SimLab.POWER, true);
    }
    List<CompletionStage<?>> stages = new ArrayList<>();
    Map<String, Double> energy = new HashMap<>();
    for (Op op : run) {
      CompletionStage<?> stage = apply(lab, op);
      stages.add(stage);
      if (op.kind() == Kind.MIGRATE || op.kind() == Kind.START) {
        stage.whenComplete((v, t) -> Statistics.label(op.kind().name()).collect(t == null ? "ok" : DriverException.of(t).kind()));
      }
      lab.advance(Duration.ofSeconds(op.advanceSeconds()));
      checkAlways(lab, energy);
    }
    lab.advance(Duration.ofHours(1));
    checkAlways(lab, energy);
    assertThat(stages).as("every stage completes").allMatch(s -> s.toCompletableFuture().isDone());
    assertThat(lab.dc.pending).as("nothing left pending").isEmpty();
    for (SimHost h : lab.dc.hosts()) {
      assertThat(h.incomingMib).as("no memory left reserved for migrations on " + h.name()).isZero();
    }
  }

  private static CompletionStage<?> apply(SimLab lab, Op op) {
    String host = HOSTS[op.host()];
    String other = HOSTS[op.other()];
    String domain = DOMAINS[op.domain()];
    var target = lab.target(host);
    boolean elsewhere = lab.dc.hosts().stream().anyMatch(h -> !h.name().equals(host) && h.domainNames().contains(domain));
    if (op.kind() == Kind.DEFINE && elsewhere) {
      // The controller never defines a VM on a second host (the hypervisors cannot know); only a
      // migration may move it, which is what the "active on two hosts" check is about.
      return CompletableFuture.completedFuture(null);
    }
    try {
      return switch (op.kind()) {
        case DEFINE -> on(lab, host, c -> c.define(SimLab.spec(domain, 1 + op.domain() % 2, 1024L * (1 + op.domain() % 3))));
        case START -> on(lab, host, c -> c.start(domain));
        case SHUTDOWN -> on(lab, host, c -> c.shutdown(domain, Duration.ofSeconds(op.advanceSeconds())));
        case DESTROY -> on(lab, host, c -> c.destroy(domain));
        case UNDEFINE -> on(lab, host, c -> c.undefine(domain, true));
        case REBOOT -> on(lab, host, c -> c.reboot(domain, java.time.Duration.ofSeconds(30)));
        case MIGRATE -> on(lab, host, c -> lab.hypervisors.connect(lab.dc.uriOf(other))
            .thenCompose(d -> c.migrate(domain, d, new MigrationOptions(0, true, Duration.ofSeconds(2 + op.advanceSeconds() % 5)),
                p -> { })));
        case CRASH -> run(() -> lab.dc.crashHost(host));
        case CRASH_DOMAIN -> run(() -> lab.dc.crashDomain(host, domain));
        case PARTITION -> run(() -> lab.dc.partitionHost(host, true));
        case HEAL -> run(() -> lab.dc.partitionHost(host, false));
        case POWER_ON -> lab.power.powerOn(target);
        case POWER_OFF -> lab.power.powerOff(target, false);
        case HARD_OFF -> lab.power.powerOff(target, true);
        case FAIL_MIGRATION -> run(() -> lab.dc.failNextMigrations(domain, 1));
      };
    } catch (org.corral.model.InvalidInputException e) {
      return CompletableFuture.completedFuture(null); // crashDomain of a domain that is not running
    }
  }

  private static <T> CompletionStage<T> on(SimLab lab, String host,
      java.util.function.Function<HypervisorConnection, CompletionStage<T>> call) {
    return lab.hypervisors.connect(lab.dc.uriOf(host)).thenCompose(call);
  }

  private static CompletionStage<?> run(Runnable r) {
    r.run();
    return CompletableFuture.completedFuture(null);
  }

  private static void checkAlways(SimLab lab, Map<String, Double> energy) {
    Map<String, String> activeOn = new HashMap<>();
    for (SimHost h : lab.dc.hosts()) {
      assertThat(h.freeMib()).as("free memory on " + h.name()).isNotNegative();
      assertThat(h.incomingMib).as("incoming memory on " + h.name()).isNotNegative();
      for (SimDomain d : h.domains.values()) {
        if (d.phase.holdsMemory()) {
          String before = activeOn.put(d.name(), h.name());
          assertThat(before).as(d.name() + " active on two hosts").isNull();
        }
      }
      double e = lab.dc.energyJoules(h.name());
      assertThat(e).as("energy of " + h.name() + " never decreases").isGreaterThanOrEqualTo(energy.getOrDefault(h.name(), 0.0));
      energy.put(h.name(), e);
    }
  }
}
