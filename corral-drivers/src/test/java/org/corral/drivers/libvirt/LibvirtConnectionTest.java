package org.corral.drivers.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.corral.drivers.libvirt.TestHosts.await;

import java.time.Duration;
import java.util.List;
import org.corral.drivers.DriverException;
import org.corral.drivers.hypervisor.DomainState;
import org.corral.drivers.hypervisor.DomainStatus;
import org.corral.drivers.hypervisor.HostFacts;
import org.corral.drivers.hypervisor.HostStats;
import org.corral.model.InvalidInputException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The connection against libvirt's real test driver, on two node descriptions. */
class LibvirtConnectionTest {
  private static final String UUID = "0b7f3c52-9a1e-4d8b-b3f0-6c2d1e4a5b70";

  private TestHosts.TwoHosts hosts;
  private LibvirtConnection a;
  private LibvirtConnection b;

  @BeforeEach
  void open() {
    hosts = TestHosts.TwoHosts.open();
    a = hosts.a;
    b = hosts.b;
  }

  @AfterEach
  void close() {
    if (hosts != null) {
      hosts.close();
    }
  }

  @Test
  void factsDifferPerHostAsTheNodeFilesSay() {
    HostFacts fa = await(a.facts());
    HostFacts fb = await(b.facts());
    assertThat(fa.cores()).as("host-a has 8 logical CPUs").isEqualTo(8);
    assertThat(fa.mhz()).isEqualTo(2400);
    assertThat(fa.memoryMib()).isEqualTo(16 * 1024);
    assertThat(fa.cpuModel()).isEqualTo("x86_64");
    assertThat(fb.cores()).as("host-b has 32 logical CPUs").isEqualTo(32);
    assertThat(fb.memoryMib()).isEqualTo(64 * 1024);
    assertThat(fa.hypervisor()).isEqualToIgnoringCase("test");
    assertThat(fa.hostname()).isNotBlank();
    assertThat(a.isAlive()).isTrue();
    assertThat(a.uri()).startsWith("test:///").endsWith("host-a.xml");
  }

  @Test
  void domainsListsWhatAlreadyExistsSoTheControllerCanAdoptIt() {
    List<DomainStatus> ds = await(a.domains());
    assertThat(ds).extracting(DomainStatus::name).containsExactlyInAnyOrder("legacy-web", "legacy-db");
    DomainStatus web = ds.stream().filter(d -> d.name().equals("legacy-web")).findFirst().orElseThrow();
    assertThat(web.uuid()).isEqualTo("6695eb01-f6a4-8304-79aa-97f2502e193f");
    assertThat(web.state()).isEqualTo(DomainState.RUNNING);
    assertThat(web.persistent()).isTrue();
    assertThat(web.vcpus()).isEqualTo(2);
    assertThat(web.memoryMib()).isEqualTo(1024);
    assertThat(web.cpuTimeNanos()).isPositive();
    DomainStatus db = await(a.domain("legacy-db")).orElseThrow();
    assertThat(db.state()).isEqualTo(DomainState.SHUTOFF);
    assertThat(db.vcpus()).isEqualTo(4);
    assertThat(await(b.domains())).as("host-b starts empty").isEmpty();
  }

  @Test
  void fullLifecycleIsIdempotentAtEveryStep() {
    var spec = TestHosts.spec("web-1", UUID, null);
    await(a.define(spec));
    await(a.define(spec));
    assertThat(await(a.domain("web-1"))).get().extracting(DomainStatus::state, DomainStatus::persistent)
        .containsExactly(DomainState.SHUTOFF, true);

    await(a.start("web-1"));
    await(a.start("web-1"));
    assertThat(await(a.domain("web-1")).orElseThrow().state()).isEqualTo(DomainState.RUNNING);

    await(a.reboot("web-1", Duration.ofMillis(200)));
    await(a.shutdown("web-1", Duration.ofSeconds(10)));
    assertThat(await(a.domain("web-1")).orElseThrow().state()).isEqualTo(DomainState.SHUTOFF);
    await(a.shutdown("web-1", Duration.ofSeconds(10)));

    await(a.start("web-1"));
    await(a.destroy("web-1"));
    await(a.destroy("web-1"));
    assertThat(await(a.domain("web-1")).orElseThrow().state()).isEqualTo(DomainState.SHUTOFF);

    await(a.undefine("web-1", true));
    await(a.undefine("web-1", true));
    assertThat(await(a.domain("web-1"))).isEmpty();
  }

  @Test
  void rebootLeavesTheDomainRunningAndIsRefusedForAStoppedDomain() {
    // libvirt's test driver reports no reboot event: this is the reset after the timeout; a real
    // guest's reboot event (or its start event) ends the wait early (not exercised by any test yet).
    await(a.define(TestHosts.spec("web-1", UUID, null)));
    await(a.start("web-1"));
    await(a.reboot("web-1", Duration.ofMillis(200)));
    assertThat(await(a.domain("web-1")).orElseThrow().state()).isEqualTo(DomainState.RUNNING);

    await(a.destroy("web-1"));
    assertThatThrownBy(() -> await(a.reboot("web-1", Duration.ofSeconds(1))))
        .isInstanceOfSatisfying(DriverException.class, e -> {
          assertThat(e.kind()).isEqualTo(DriverException.Kind.REJECTED);
          assertThat(e.getMessage()).contains("web-1").contains("not running");
        });
  }

  @Test
  void defineWithTheSameNameButAnotherUuidIsRejectedAndChangesNothing() {
    await(a.define(TestHosts.spec("web-1", UUID, null)));
    var other = TestHosts.spec("web-1", "11111111-2222-3333-4444-555555555555", null);
    assertThatThrownBy(() -> await(a.define(other)))
        .isInstanceOfSatisfying(DriverException.class, e -> {
          assertThat(e.kind()).isEqualTo(DriverException.Kind.REJECTED);
          assertThat(e.getMessage()).contains("web-1").contains(UUID).contains("host-a.xml");
        });
    assertThat(await(a.domain("web-1")).orElseThrow().uuid()).isEqualTo(UUID);
  }

  @Test
  void undefiningARunningDomainIsRefused() {
    assertThatThrownBy(() -> await(a.undefine("legacy-web", true)))
        .isInstanceOfSatisfying(DriverException.class, e -> assertThat(e.kind()).isEqualTo(DriverException.Kind.REJECTED));
    assertThat(await(a.domain("legacy-web"))).isPresent();
  }

  @Test
  void actingOnAMissingDomainIsNotFoundNamingDomainAndHost() {
    assertThat(await(a.domain("nope"))).isEmpty();
    for (var call : List.<Runnable>of(() -> await(a.start("nope")), () -> await(a.destroy("nope")),
        () -> await(a.shutdown("nope", Duration.ofSeconds(1))), () -> await(a.reboot("nope", Duration.ofSeconds(1))))) {
      assertThatThrownBy(call::run).isInstanceOfSatisfying(DriverException.class, e -> {
        assertThat(e.kind()).isEqualTo(DriverException.Kind.NOT_FOUND);
        assertThat(e.getMessage()).contains("'nope'").contains("host-a.xml");
      });
    }
  }

  @Test
  void badSpecIsInvalidInputNamingTheField() {
    var bad = new org.corral.drivers.hypervisor.DomainSpec("x/y", UUID, 1, 512, List.of(), List.of(), null);
    assertThatThrownBy(() -> await(a.define(bad)))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("spec.name"));
    assertThat(await(a.domain("x/y"))).isEmpty();
  }

  @Test
  void statsCountRunningDomainsAndHostCpuTime() {
    HostStats s1 = await(a.stats());
    assertThat(s1.domainCpuNanos()).containsOnlyKeys("legacy-web");
    assertThat(s1.hostBusyNanos()).as("test driver answers virNodeGetCPUStats").isPositive();
    assertThat(s1.monotonicNanos()).isPositive();
    await(a.start("legacy-db"));
    HostStats s2 = await(a.stats());
    assertThat(s2.domainCpuNanos()).containsOnlyKeys("legacy-web", "legacy-db");
    assertThat(s2.monotonicNanos()).isGreaterThan(s1.monotonicNanos());
    assertThat(s2.utilisationSince(s1, 8)).isBetween(0.0, 1.0);
  }
}
