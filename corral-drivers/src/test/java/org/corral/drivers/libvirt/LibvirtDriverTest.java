package org.corral.drivers.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.corral.drivers.DriverException;
import org.corral.drivers.Drivers;
import org.corral.drivers.hypervisor.HypervisorConnection;
import org.corral.model.InvalidInputException;
import org.corral.model.time.VirtualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Opening connections: schemes, unreachable and hung hosts, against real sockets and libvirt. */
class LibvirtDriverTest {
  private LibvirtDriver driver;

  @BeforeEach
  void open() {
    TestHosts.requireLibvirt();
    driver = new LibvirtDriver(new VirtualClock(), ReconnectBackoff.DEFAULT, Duration.ofSeconds(2), 5, 3);
  }

  @AfterEach
  void close() {
    driver.close();
  }

  @Test
  void registryRoutesLibvirtSchemesHereAndNamesTheChoicesForOthers() {
    Drivers drivers = new Drivers().hypervisor(driver);
    for (String uri : List.of("qemu:///system", "qemu+ssh://root@node1/system", "qemu+tcp://node1/system",
        "qemu+tls://node1/system", "xen:///system", "xen+ssh://root@node1/system", "test:///default")) {
      assertThat(drivers.hypervisorFor("hosts[0].uri", uri)).as(uri).isSameAs(driver);
    }
    assertThatThrownBy(() -> drivers.hypervisorFor("hosts[0].uri", "vmware://esx1"))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.field()).isEqualTo("hosts[0].uri");
          assertThat(e.getMessage()).contains("vmware").contains("qemu+ssh");
        });
  }

  @Test
  void connectRefusesAUriOfAnotherScheme() {
    assertThatThrownBy(() -> TestHosts.await(driver.connect("vmware://esx1")))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("uri"));
  }

  @Test
  void refusedPortIsUnreachableWithinABoundedTime() {
    CompletableFuture<HypervisorConnection> f = driver.connect("qemu+tcp://127.0.0.1:1/system").toCompletableFuture();
    await().atMost(Duration.ofSeconds(10)).until(f::isDone);
    assertThatThrownBy(f::join).cause().isInstanceOfSatisfying(DriverException.class, e -> {
      assertThat(e.kind()).isEqualTo(DriverException.Kind.UNREACHABLE);
      assertThat(e.getMessage()).contains("qemu+tcp://127.0.0.1:1/system");
    });
  }

  @Test
  void hostThatNeverAnswersTimesOutAsUnreachableAndBlocksNoOtherHost() throws Exception {
    try (SilentServer silent = new SilentServer()) {
      // More hung opens than this machine has cores: none of them may starve the test host.
      List<CompletableFuture<HypervisorConnection>> hung = new ArrayList<>();
      for (int i = 0; i < Runtime.getRuntime().availableProcessors() + 2; i++) {
        hung.add(driver.connect(silent.uri()).toCompletableFuture());
      }
      HypervisorConnection ok = TestHosts.await(driver.connect(TestHosts.uri("host-b.xml")));
      assertThat(TestHosts.await(ok.facts()).cores()).isEqualTo(32);
      ok.close();
      await().atMost(Duration.ofSeconds(15)).until(() -> hung.stream().allMatch(CompletableFuture::isDone));
      assertThatThrownBy(hung.get(0)::join).cause().isInstanceOfSatisfying(DriverException.class, e -> {
        assertThat(e.kind()).isEqualTo(DriverException.Kind.UNREACHABLE);
        assertThat(e.getMessage()).contains("no answer within PT2S");
      });
    }
  }

  @Test
  void credentialsNeverAppearInErrors() {
    CompletableFuture<HypervisorConnection> f =
        driver.connect("qemu+tcp://admin:s3cret@127.0.0.1:1/system?password=hunter2").toCompletableFuture();
    await().atMost(Duration.ofSeconds(10)).until(f::isDone);
    assertThatThrownBy(f::join).cause().isInstanceOfSatisfying(DriverException.class, e -> {
      assertThat(e.getMessage()).doesNotContain("s3cret").doesNotContain("hunter2").contains("127.0.0.1");
      for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
        assertThat(String.valueOf(c.getMessage())).as("cause message").doesNotContain("s3cret");
      }
    });
  }
}
