package org.corral.drivers.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.corral.drivers.DriverException;
import org.corral.drivers.DriverException.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link HypervisorConnection} must do, exercised only through the SPI. Kept to what
 * libvirt's test driver ({@code test:///default}) can also do: no migration, and no assumption
 * about how long start or shutdown take.
 *
 * <p>A subclass supplies a fresh host's connection and one hook, {@link #awaitUntil}: a driver on
 * a virtual clock advances it until the condition holds; a real-time driver waits with a bounded
 * Awaitility poll. Every other wait in the contract goes through that hook.
 */
public abstract class HypervisorContract {
  protected HypervisorConnection conn;
  protected final List<DomainEvent> events = new CopyOnWriteArrayList<>();

  /** A connection to a host with no domains named {@code contract-*} and room for two small domains. */
  protected abstract HypervisorConnection connect() throws Exception;

  /**
   * Lets time pass until {@code condition} holds, and fails the test (naming {@code what}) if it
   * does not within a bound of the implementation's choosing.
   */
  protected abstract void awaitUntil(String what, BooleanSupplier condition);

  /** A spec the driver accepts; override to add disks or NICs the driver needs. */
  protected DomainSpec spec(String name) {
    String uuid = UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    return new DomainSpec(name, uuid, 1, 128, List.of(), List.of(), null);
  }

  /**
   * Waits until the guest of a started domain can take an ACPI shutdown request (its OS has booted
   * and listens for the power button). Nothing to wait for where nothing boots (sim, test:///).
   */
  protected void awaitGuestReady(String name) {}

  /**
   * The reboot's grace before a reset: short where no guest answers ACPI (sim, test:///, which
   * then reset), long enough for a real guest to reboot by itself.
   */
  protected Duration rebootTimeout() {
    return Duration.ofSeconds(1);
  }

  /** A spec too big for the host's free memory, or empty when the driver does not check memory. */
  protected Optional<DomainSpec> specTooBigForHost() {
    return Optional.empty();
  }

  @BeforeEach
  void openConnection() throws Exception {
    conn = connect();
    conn.onEvent(events::add);
  }

  @AfterEach
  void cleanUp() {
    if (conn == null) {
      return; // connect() skipped the test (no libvirt, no lab)
    }
    for (String name : List.of("contract-a", "contract-b", "contract-big")) {
      if (conn.isAlive()) {
        await(conn.destroy(name).exceptionally(t -> null));
        await(conn.undefine(name, true).exceptionally(t -> null));
      }
    }
    conn.close();
  }

  /** Waits for {@code stage} through the hook and returns its value, or throws its DriverException. */
  protected <T> T await(CompletionStage<T> stage) {
    var f = stage.toCompletableFuture();
    awaitUntil("the operation to complete", f::isDone);
    try {
      return f.join();
    } catch (RuntimeException e) {
      throw DriverException.of(e);
    }
  }

  protected DriverException failure(CompletionStage<?> stage) {
    try {
      await(stage);
    } catch (DriverException e) {
      return e;
    }
    return fail("expected the operation to fail, but it succeeded");
  }

  protected Optional<DomainStatus> status(String name) {
    return await(conn.domain(name));
  }

  @Test
  void factsDescribeTheHost() {
    HostFacts f = await(conn.facts());
    assertThat(f.cores()).as("cores").isPositive();
    assertThat(f.memoryMib()).as("memory").isPositive();
    assertThat(f.hypervisor()).as("hypervisor type").isNotBlank();
  }

  @Test
  void defineShowsAShutOffPersistentDomainAndIsIdempotentByUuid() {
    await(conn.define(spec("contract-a")));
    await(conn.define(spec("contract-a")));

    List<DomainStatus> named = await(conn.domains()).stream().filter(d -> d.name().equals("contract-a")).toList();
    assertThat(named).as("one domain after defining it twice").hasSize(1);
    DomainStatus s = named.get(0);
    assertThat(s.state()).isEqualTo(DomainState.SHUTOFF);
    assertThat(s.persistent()).isTrue();
    assertThat(s.uuid()).isEqualTo(spec("contract-a").uuid());
    assertThat(s.vcpus()).isEqualTo(1);
  }

  @Test
  void defineOfATakenNameWithAnotherUuidIsRejectedAndChangesNothing() {
    await(conn.define(spec("contract-a")));
    DomainSpec other = new DomainSpec("contract-a", UUID.nameUUIDFromBytes(new byte[] {42}).toString(), 1, 128,
        List.of(), List.of(), null);

    assertThat(failure(conn.define(other)).kind()).isEqualTo(Kind.REJECTED);
    assertThat(status("contract-a")).get().extracting(DomainStatus::uuid).isEqualTo(spec("contract-a").uuid());
  }

  @Test
  void startRunsTheDomainAndIsIdempotent() {
    await(conn.define(spec("contract-a")));
    await(conn.start("contract-a"));
    await(conn.start("contract-a"));

    assertThat(status("contract-a")).get().extracting(DomainStatus::state).isEqualTo(DomainState.RUNNING);
    awaitUntil("a STARTED event", () -> hasEvent("contract-a", DomainEvent.Kind.STARTED));
  }

  @Test
  void statsCountTheRunningDomainsOnly() {
    await(conn.define(spec("contract-a")));
    await(conn.define(spec("contract-b")));
    await(conn.start("contract-a"));

    HostStats first = await(conn.stats());
    HostStats second = await(conn.stats());
    assertThat(first.domainCpuNanos()).containsKey("contract-a").doesNotContainKey("contract-b");
    assertThat(first.domainCpuNanos().get("contract-a")).isNotNegative();
    assertThat(second.monotonicNanos()).as("monotonic time").isGreaterThanOrEqualTo(first.monotonicNanos());
    assertThat(second.domainCpuNanos().get("contract-a")).isGreaterThanOrEqualTo(first.domainCpuNanos().get("contract-a"));
  }

  @Test
  void shutdownStopsTheDomainAndIsIdempotent() {
    await(conn.define(spec("contract-a")));
    await(conn.start("contract-a"));
    awaitGuestReady("contract-a");

    await(conn.shutdown("contract-a", Duration.ofMinutes(5)));
    await(conn.shutdown("contract-a", Duration.ofMinutes(5)));

    assertThat(status("contract-a")).get().extracting(DomainStatus::state).isEqualTo(DomainState.SHUTOFF);
    awaitUntil("a STOPPED event", () -> hasEvent("contract-a", DomainEvent.Kind.STOPPED));
  }

  @Test
  void destroyStopsTheDomainAtOnceAndIsIdempotent() {
    await(conn.define(spec("contract-a")));
    await(conn.start("contract-a"));

    await(conn.destroy("contract-a"));
    await(conn.destroy("contract-a"));

    assertThat(status("contract-a")).get().extracting(DomainStatus::state).isEqualTo(DomainState.SHUTOFF);
    awaitUntil("a STOPPED event", () -> hasEvent("contract-a", DomainEvent.Kind.STOPPED));
  }

  @Test
  void rebootLeavesARunningDomainRunningAndIsRefusedForAStoppedOne() {
    await(conn.define(spec("contract-a")));
    await(conn.start("contract-a"));
    awaitGuestReady("contract-a");

    await(conn.reboot("contract-a", rebootTimeout()));
    assertThat(status("contract-a")).get().extracting(DomainStatus::state).isEqualTo(DomainState.RUNNING);

    await(conn.destroy("contract-a"));
    assertThat(failure(conn.reboot("contract-a", rebootTimeout())).kind()).as("reboot of a stopped domain").isEqualTo(Kind.REJECTED);
    assertThat(status("contract-a")).get().extracting(DomainStatus::state).isEqualTo(DomainState.SHUTOFF);
  }

  @Test
  void undefineRefusesARunningDomainThenRemovesAStoppedOneIdempotently() {
    await(conn.define(spec("contract-a")));
    await(conn.start("contract-a"));

    assertThat(failure(conn.undefine("contract-a", true)).kind()).as("undefine while running").isEqualTo(Kind.REJECTED);
    assertThat(status("contract-a")).as("still there after the refusal").isPresent();

    await(conn.destroy("contract-a"));
    await(conn.undefine("contract-a", true));
    await(conn.undefine("contract-a", true));
    assertThat(status("contract-a")).isEmpty();
  }

  @Test
  void operationsOnAMissingDomainFailNotFound() {
    assertThat(failure(conn.start("contract-missing")).kind()).as("start").isEqualTo(Kind.NOT_FOUND);
    assertThat(failure(conn.shutdown("contract-missing", Duration.ofSeconds(1))).kind()).as("shutdown")
        .isEqualTo(Kind.NOT_FOUND);
    assertThat(failure(conn.destroy("contract-missing")).kind()).as("destroy").isEqualTo(Kind.NOT_FOUND);
    assertThat(failure(conn.reboot("contract-missing", Duration.ofSeconds(1))).kind()).as("reboot").isEqualTo(Kind.NOT_FOUND);
    assertThat(status("contract-missing")).isEmpty();
  }

  @Test
  void startOfADomainThatDoesNotFitIsRejected() {
    Optional<DomainSpec> big = specTooBigForHost();
    if (big.isEmpty()) {
      return; // this driver does not account memory
    }
    await(conn.define(big.get()));

    assertThat(failure(conn.start(big.get().name())).kind()).isEqualTo(Kind.REJECTED);
    assertThat(status(big.get().name())).get().extracting(DomainStatus::state).isEqualTo(DomainState.SHUTOFF);
  }

  private boolean hasEvent(String domain, DomainEvent.Kind kind) {
    return events.stream().anyMatch(e -> kind == e.kind() && domain.equals(e.domain()));
  }
}
