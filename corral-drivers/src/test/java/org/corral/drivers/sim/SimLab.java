package org.corral.drivers.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.corral.drivers.DriverException;
import org.corral.drivers.hypervisor.DomainEvent;
import org.corral.drivers.hypervisor.DomainSpec;
import org.corral.drivers.hypervisor.DomainState;
import org.corral.drivers.hypervisor.HypervisorConnection;
import org.corral.drivers.power.PowerTarget;
import org.corral.model.host.HostCapacity;
import org.corral.model.host.PowerModel;
import org.corral.model.time.VirtualClock;

/** A small lab on a virtual clock, and the helpers the sim tests share. */
final class SimLab {
  /** 4 cores, 8 GiB, 100 W idle to 200 W at full load, 5 W when off. */
  static final HostCapacity CAPACITY = new HostCapacity(4, 2600, 8192);
  static final PowerModel POWER = new PowerModel(PowerModel.linear(100, 200).watts(), 5);

  final VirtualClock clock = new VirtualClock();
  final SimDataCenter dc;
  final SimHypervisorDriver hypervisors;
  final SimPowerDriver power;
  final List<DomainEvent> events = new CopyOnWriteArrayList<>();

  SimLab(SimLatencies latencies, String... hostNames) {
    dc = new SimDataCenter("lab", clock, 42, latencies);
    for (String h : hostNames) {
      dc.addHost(h, CAPACITY, POWER, true);
    }
    hypervisors = new SimHypervisorDriver(dc);
    power = new SimPowerDriver(dc);
  }

  /** A connection whose events land in {@link #events}. */
  HypervisorConnection connect(String host) {
    HypervisorConnection c = join(hypervisors.connect(dc.uriOf(host)));
    c.onEvent(events::add);
    return c;
  }

  PowerTarget target(String host) {
    return new PowerTarget(host, dc.uriOf(host), null);
  }

  static DomainSpec spec(String name, int vcpus, long memoryMib) {
    String uuid = UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    return new DomainSpec(name, uuid, vcpus, memoryMib, List.of(), List.of(), null);
  }

  /** Defines {@code spec}, letting the define time pass. */
  void define(HypervisorConnection c, DomainSpec spec) {
    CompletionStage<Void> define = c.define(spec);
    clock.advance(dc.latencies().define());
    join(define);
  }

  /** Defines and starts {@code spec}, letting the define and boot times pass. */
  void run(HypervisorConnection c, DomainSpec spec) {
    define(c, spec);
    CompletionStage<Void> start = c.start(spec.name());
    clock.advance(dc.latencies().boot());
    join(start);
  }

  DomainState state(HypervisorConnection c, String name) {
    return join(c.domain(name)).orElseThrow().state();
  }

  void advance(Duration d) {
    clock.advance(d);
  }

  static <T> T join(CompletionStage<T> stage) {
    CompletableFuture<T> f = stage.toCompletableFuture();
    assertThat(f).as("the stage should be complete by now").isDone();
    try {
      return f.join();
    } catch (RuntimeException e) {
      throw DriverException.of(e);
    }
  }

  static DriverException failure(CompletionStage<?> stage) {
    CompletableFuture<?> f = stage.toCompletableFuture();
    assertThat(f).as("the stage should be complete by now").isDone();
    assertThat(f).as("the stage should have failed").isCompletedExceptionally();
    try {
      f.join();
    } catch (RuntimeException e) {
      return DriverException.of(e);
    }
    return fail("unreachable");
  }

  static boolean done(CompletionStage<?> stage) {
    return stage.toCompletableFuture().isDone();
  }

  List<DomainEvent.Kind> eventKinds(String domain) {
    return events.stream().filter(e -> domain.equals(e.domain())).map(DomainEvent::kind).toList();
  }
}
