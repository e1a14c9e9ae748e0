package org.corral.drivers.libvirt;

import static org.assertj.core.api.Assertions.fail;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.corral.drivers.DriverException;
import org.corral.drivers.hypervisor.DomainSpec;
import org.corral.model.time.VirtualClock;
import org.junit.jupiter.api.Assumptions;

/**
 * Hosts for libvirt's in-process test driver, described by the node files under
 * {@code src/test/resources/libvirt/}. Each connection to a node file gets its own fresh state, so
 * tests do not see each other's domains.
 */
final class TestHosts {
  static final Duration WAIT = Duration.ofSeconds(20);

  private TestHosts() {}

  /** {@code test:///<absolute path>} for a node file in the test resources. */
  static String uri(String nodeFile) {
    try {
      Path p = Path.of(TestHosts.class.getResource("/libvirt/" + nodeFile).toURI()).toAbsolutePath();
      return "test://" + p;
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing test resource libvirt/" + nodeFile, e);
    }
  }

  /**
   * Makes sure libvirt's native library loads. Off CI a missing libvirt0 skips the test with the
   * reason; with CI=true it fails, so a CI image without libvirt0 cannot pass by skipping.
   */
  static void requireLibvirt() {
    try {
      LibvirtRuntime.ensureStarted();
    } catch (DriverException e) {
      missing(e, "true".equalsIgnoreCase(System.getenv("CI")));
    }
  }

  /** On CI a missing libvirt fails the test with the fix; elsewhere it skips with the reason. */
  static void missing(DriverException e, boolean ci) {
    if (ci) {
      fail("libvirt tests need the native library: " + e.getMessage()
          + " (CI must apt-get install libvirt0 libvirt-clients)");
    }
    Assumptions.abort("libvirt native library not available: " + e.getMessage());
  }

  static LibvirtDriver driver() {
    return new LibvirtDriver(new VirtualClock(), ReconnectBackoff.DEFAULT, Duration.ofSeconds(15), 5, 3);
  }

  static LibvirtConnection connect(LibvirtDriver driver, String nodeFile) {
    return (LibvirtConnection) await(driver.connect(uri(nodeFile)));
  }

  /** Waits a bounded time for a stage; failures come back as the DriverException they carry. */
  static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new IllegalStateException("stage did not complete within " + WAIT, e);
    }
  }

  /** A VM on host-a's pool and network. */
  /** The DriverException a stage fails with, waited for at most two minutes; an AssertionError if it succeeds. */
  static DriverException failure(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().get(2, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      return DriverException.of(e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("the operation did not end within 2 minutes", e);
    }
    throw new AssertionError("expected the operation to fail, but it succeeded");
  }

  static DomainSpec spec(String name, String uuid, String userData) {
    return new DomainSpec(name, uuid, 2, 1024,
        List.of(new DomainSpec.Disk("images", "debian-12.qcow2", "qcow2", 20, "vda")),
        List.of(new DomainSpec.Nic(null, "corral-net", "52:54:00:12:34:56")), userData);
  }

  /** A driver with connections to host-a.xml and host-b.xml, closed together. */
  static final class TwoHosts implements AutoCloseable {
    final LibvirtDriver driver;
    final LibvirtConnection a;
    final LibvirtConnection b;

    private TwoHosts(LibvirtDriver driver, LibvirtConnection a, LibvirtConnection b) {
      this.driver = driver;
      this.a = a;
      this.b = b;
    }

    /** Requires libvirt (fails on CI, skips elsewhere), then connects to both hosts. */
    static TwoHosts open() {
      requireLibvirt();
      LibvirtDriver driver = driver();
      LibvirtConnection a = connect(driver, "host-a.xml");
      return new TwoHosts(driver, a, connect(driver, "host-b.xml"));
    }

    @Override
    public void close() {
      a.close();
      b.close();
      driver.close();
    }
  }
}
