package org.corral.drivers.libvirt;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeoutException;
import org.corral.drivers.DriverException;
import org.corral.drivers.DriverException.Kind;
import org.corral.drivers.Drivers;
import org.corral.drivers.hypervisor.HypervisorConnection;
import org.corral.drivers.hypervisor.HypervisorDriver;
import org.corral.model.InvalidInputException;
import org.corral.model.time.Clock;

/**
 * Opens libvirt connections to KVM ({@code qemu}, {@code qemu+ssh}, {@code qemu+tcp},
 * {@code qemu+tls}), Xen ({@code xen}, {@code xen+ssh}) and test ({@code test}) hosts. Each open
 * runs on its own thread (see {@link LibvirtThreads}) and is bounded by the connect timeout; remote connections get libvirt
 * keepalive so that a host that vanishes is noticed within interval x (count + 1) seconds.
 * Thread-safe.
 */
public final class LibvirtDriver implements HypervisorDriver, AutoCloseable {
  /** URI schemes this driver opens. */
  public static final Set<String> SCHEMES = Set.of("qemu", "qemu+ssh", "qemu+tcp", "qemu+tls", "xen", "xen+ssh", "test");

  private final Clock clock;
  private final ReconnectBackoff backoff;
  private final Duration connectTimeout;
  private final int keepAliveIntervalSec;
  private final int keepAliveCount;
  private final ExecutorService opens = LibvirtThreads.newExecutor("libvirt-open");

  /**
   * @param clock          times the reconnect backoff (virtual in tests)
   * @param backoff        delays between reconnection attempts
   * @param connectTimeout how long one open may take before it counts as UNREACHABLE
   * @param keepAliveIntervalSec seconds between keepalive probes on remote connections
   * @param keepAliveCount probes that may go unanswered before libvirt closes the connection
   */
  public LibvirtDriver(Clock clock, ReconnectBackoff backoff, Duration connectTimeout, int keepAliveIntervalSec,
      int keepAliveCount) {
    if (connectTimeout.isNegative() || connectTimeout.isZero() || keepAliveIntervalSec < 1 || keepAliveCount < 0) {
      throw new IllegalArgumentException("need connectTimeout > 0, keepAliveIntervalSec >= 1, keepAliveCount >= 0");
    }
    this.clock = clock;
    this.backoff = backoff;
    this.connectTimeout = connectTimeout;
    this.keepAliveIntervalSec = keepAliveIntervalSec;
    this.keepAliveCount = keepAliveCount;
  }

  /** Defaults: 30 s connect timeout, keepalive every 5 s, 3 missed probes. */
  public LibvirtDriver(Clock clock, ReconnectBackoff backoff) {
    this(clock, backoff, Duration.ofSeconds(30), 5, 3);
  }

  @Override
  public Set<String> schemes() {
    return SCHEMES;
  }

  /**
   * Opens {@code uri}. Fails with UNREACHABLE (cannot connect, or not within the connect
   * timeout), AUTH (credentials refused), UNSUPPORTED (libvirt's native library is missing), or
   * with {@link InvalidInputException} for a URI this driver does not handle.
   */
  @Override
  public CompletionStage<HypervisorConnection> connect(String uri) {
    String scheme = Drivers.scheme(uri);
    if (scheme == null || !SCHEMES.contains(scheme)) {
      return CompletableFuture.failedFuture(new InvalidInputException("uri",
          "'" + LibvirtErrors.safeUri(uri) + "' is not a libvirt URI this driver opens",
          "use one of " + String.join(", ", SCHEMES.stream().sorted().toList()) + ", e.g. qemu+ssh://root@node1/system"));
    }
    CompletableFuture<LibvirtConnection> open = CompletableFuture.supplyAsync(
        () -> LibvirtConnection.open(uri, keepAliveIntervalSec, keepAliveCount), opens);
    CompletableFuture<HypervisorConnection> result = new CompletableFuture<>();
    open.orTimeout(connectTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .whenComplete((c, e) -> {
          if (e == null) {
            result.complete(c);
            return;
          }
          Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
          if (cause instanceof TimeoutException) {
            // The open still runs on its thread; close whatever it yields.
            open.thenAccept(LibvirtConnection::close);
            result.completeExceptionally(new DriverException(Kind.UNREACHABLE, "connect to "
                + LibvirtErrors.safeUri(uri) + ": no answer within " + connectTimeout, cause));
          } else {
            result.completeExceptionally(DriverException.of(cause));
          }
        });
    return result;
  }

  /**
   * Connects, retrying failures that may pass (UNREACHABLE, TIMEOUT, TRANSIENT) up to
   * {@code maxAttempts} times with {@link ReconnectBackoff} delays timed on the injected clock.
   * AUTH, REJECTED and UNSUPPORTED fail at once: retrying cannot help. Never blocks the caller.
   */
  public CompletionStage<HypervisorConnection> reconnect(String uri, int maxAttempts) {
    return new Reconnection(this::connect, clock, backoff, uri, maxAttempts).start();
  }

  @Override
  public void close() {
    opens.shutdown();
  }
}
