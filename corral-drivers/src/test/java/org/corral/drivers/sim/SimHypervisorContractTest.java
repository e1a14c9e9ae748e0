package org.corral.drivers.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.corral.drivers.hypervisor.DomainSpec;
import org.corral.drivers.hypervisor.HypervisorConnection;
import org.corral.drivers.hypervisor.HypervisorContract;
import org.corral.model.host.HostCapacity;
import org.corral.model.host.PowerModel;
import org.corral.model.time.VirtualClock;

/** The driver contract on a simulated host with realistic (non-zero) latencies, on virtual time. */
class SimHypervisorContractTest extends HypervisorContract {
  private final VirtualClock clock = new VirtualClock();

  @Override
  protected HypervisorConnection connect() {
    SimDataCenter dc = new SimDataCenter("lab", clock, 7, SimLatencies.DEFAULT);
    dc.addHost("node1", new HostCapacity(4, 2600, 4096), PowerModel.linear(100, 200), true);
    return new SimHypervisorDriver(dc).connect(dc.uriOf("node1")).toCompletableFuture().join();
  }

  @Override
  protected void awaitUntil(String what, BooleanSupplier condition) {
    assertThat(clock.advanceUntil(condition, Duration.ofSeconds(1), Duration.ofMinutes(10)))
        .as("waited 10 simulated minutes for " + what).isTrue();
  }

  @Override
  protected Optional<DomainSpec> specTooBigForHost() {
    return Optional.of(new DomainSpec("contract-big", "00000000-0000-0000-0000-00000000b16b", 2, 8192, List.of(), List.of(),
        null));
  }
}
