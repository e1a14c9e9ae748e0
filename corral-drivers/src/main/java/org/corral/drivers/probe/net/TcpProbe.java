package org.corral.drivers.probe.net;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.corral.drivers.DriverException;
import org.corral.drivers.probe.Probe;
import org.corral.drivers.probe.ProbeResult;
import org.corral.drivers.uri.DriverUri;
import org.corral.model.InvalidInputException;

/**
 * {@code tcp://host:port}: healthy when a TCP connection opens within the timeout (then closed at
 * once, nothing sent). The recommended liveness probe where ICMP is filtered: {@code tcp://node1:22}.
 * Thread-safe.
 */
public final class TcpProbe implements Probe, AutoCloseable {
  static final String EXAMPLE = "tcp://node1:22";
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

  @Override
  public Set<String> schemes() {
    return Set.of("tcp");
  }

  @Override
  public CompletionStage<ProbeResult> check(String targetUri, Duration timeout) {
    String host;
    int port;
    int millis;
    try {
      DriverUri u = DriverUri.parse("probe.target", targetUri, EXAMPLE).allowOnly(Set.of());
      if (!u.scheme().equals("tcp")) {
        throw new InvalidInputException("probe.target", "scheme '" + u.scheme() + "' is not tcp", "write it like " + EXAMPLE);
      }
      host = u.requireHost("probe");
      port = u.requirePort(EXAMPLE);
      millis = ProbeTimeout.millis(timeout);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    try {
      return CompletableFuture.supplyAsync(() -> connect(host, port, millis, timeout), threads);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new DriverException(DriverException.Kind.REJECTED, "the TCP probe is closed"));
    }
  }

  private static ProbeResult connect(String host, int port, int millis, Duration timeout) {
    long start = System.nanoTime();
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      return ProbeResult.unhealthy("unknown host " + host, ProbeTimeout.since(start));
    }
    try (Socket s = new Socket()) {
      s.connect(address, millis);
      return ProbeResult.healthy("connected to " + host + ":" + port, ProbeTimeout.since(start));
    } catch (ConnectException e) {
      return ProbeResult.unhealthy("connection refused", ProbeTimeout.since(start));
    } catch (SocketTimeoutException e) {
      return ProbeResult.unhealthy(ProbeTimeout.timedOut(timeout), ProbeTimeout.since(start));
    } catch (NoRouteToHostException e) {
      return ProbeResult.unhealthy("no route to host", ProbeTimeout.since(start));
    } catch (IOException e) {
      return ProbeResult.unhealthy(String.valueOf(e.getMessage()), ProbeTimeout.since(start));
    }
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
