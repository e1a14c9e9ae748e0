package org.corral.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.corral.controller.command.HostRequest;
import org.corral.controller.command.VmRequest;
import org.corral.controller.store.InMemoryStore;
import org.corral.drivers.DriverException;
import org.corral.drivers.Drivers;
import org.corral.drivers.hypervisor.HypervisorConnection;
import org.corral.drivers.libvirt.LibvirtDriver;
import org.corral.drivers.libvirt.ReconnectBackoff;
import org.corral.model.host.HostCapacity;
import org.corral.model.host.HostState;
import org.corral.model.time.VirtualClock;
import org.corral.model.vm.VmState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The controller over the real libvirt driver: libvirt's test driver with a node file stands in
 * for a KVM host (adoption, deploy, stop, delete, facts), and an address where nothing listens
 * for a host that cannot be reached. The driver works on its own threads, so the virtual clock is
 * advanced inside bounded Awaitility polls.
 */
class LibvirtHostTest {
  private VirtualClock clock;
  private Controller controller;
  private LibvirtDriver libvirt;

  @BeforeEach
  void start() {
    clock = new VirtualClock();
    libvirt = new LibvirtDriver(clock, ReconnectBackoff.DEFAULT, Duration.ofSeconds(5), 5, 3);
    requireLibvirt(libvirt);
    controller = new Controller(ControllerSettings.DEFAULT.withPeriods(Duration.ofSeconds(1), Duration.ofSeconds(1)), clock,
        new InMemoryStore(), new Drivers().hypervisor(libvirt), new SimpleMeterRegistry());
    controller.start();
  }

  @AfterEach
  void stop() {
    if (controller != null) {
      controller.stop();
    }
    libvirt.close();
  }

  private static void requireLibvirt(LibvirtDriver d) {
    try {
      d.connect("test:///default").toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS).close();
    } catch (Exception e) {
      String why = DriverException.of(e).getMessage();
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError("libvirt is needed on CI: " + why + " (apt-get install libvirt0)");
      }
      Assumptions.abort("libvirt not available: " + why);
    }
  }

  private void until(String what, BooleanSupplier cond) {
    await(what).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
      clock.advance(Duration.ofMillis(500));
      return cond.getAsBoolean();
    });
  }

  @Test
  void aTestDriverHostIsAddedFromItsFactsAdoptedAndRunsVms() throws Exception {
    String uri = "test://" + Path.of(getClass().getResource("/libvirt/host-a.xml").toURI()).toAbsolutePath();
    var added = controller.commands().addHost(new HostRequest("kvm1", uri, null, null, null, null), "t").toCompletableFuture();
    until("host added", added::isDone);
    assertThat(added.get().capacity()).isEqualTo(new HostCapacity(8, 2400, 16384));

    until("adopted", () -> controller.state().vm("legacy-web").isPresent() && controller.state().vm("legacy-db").isPresent());
    assertThat(controller.state().requireVm("legacy-web").state()).isEqualTo(VmState.RUNNING);
    assertThat(controller.state().requireVm("legacy-db").state()).isEqualTo(VmState.STOPPED);
    assertThat(controller.state().requireVm("legacy-web").owner()).isEqualTo("adopted");
    assertThat(controller.state().requireHost("kvm1").stateReason()).isEqualTo("hypervisor answers");

    controller.commands().createVm(VmRequest.of("web1", 1, 512), "t");
    until("web1 running", () -> controller.state().requireVm("web1").state() == VmState.RUNNING);
    HypervisorConnection seen = controller.connections().get(controller.state().requireHost("kvm1")).toCompletableFuture().get();
    assertThat(seen.domain("web1").toCompletableFuture().get()).isPresent();

    controller.commands().stopVm("web1", false, "t");
    until("web1 stopped", () -> controller.state().requireVm("web1").state() == VmState.STOPPED);
    controller.commands().deleteVm("web1", "t");
    until("web1 gone", () -> controller.state().vm("web1").isEmpty());
    assertThat(seen.domain("web1").toCompletableFuture().get()).isEmpty();
  }

  @Test
  void anUnreachableHypervisorEndsInErrorWithTheReasonAndBlocksNothing() {
    controller.commands().addHost(new HostRequest("gone", "qemu+tcp://127.0.0.1:1/system", new HostCapacity(8, 2000, 16384),
        null, null, null), "t");
    until("gone ERROR", () -> controller.state().requireHost("gone").state() == HostState.ERROR);
    assertThat(controller.state().requireHost("gone").stateReason()).contains("qemu+tcp://127.0.0.1:1/system").contains("refused");
    // The loops go on: a VM that fits nowhere else stays PENDING with a reason, not stuck.
    controller.commands().createVm(VmRequest.of("w", 1, 512), "t");
    until("reason", () -> controller.state().requireVm("w").stateReason().contains("no host"));
  }
}
