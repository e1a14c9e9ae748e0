package org.corral.drivers.probe.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
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
 * {@code icmp://host}: {@link InetAddress#isReachable(int)}. With root or CAP_NET_RAW the JDK sends
 * an ICMP echo request; without, it falls back to a TCP connect to the echo port (7), where a
 * refused connection still counts as "reachable" (the host answered). A firewall that drops
 * both makes a live host look dead: there, use {@code tcp://host:22} ({@link TcpProbe}) instead.
 * Thread-safe.
 */
public final class IcmpProbe implements Probe, AutoCloseable {
  static final String EXAMPLE = "icmp://node1";
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

  @Override
  public Set<String> schemes() {
    return Set.of("icmp");
  }

  @Override
  public CompletionStage<ProbeResult> check(String targetUri, Duration timeout) {
    String host;
    int millis;
    try {
      DriverUri u = DriverUri.parse("probe.target", targetUri, EXAMPLE).allowOnly(Set.of());
      if (!u.scheme().equals("icmp")) {
        throw new InvalidInputException("probe.target", "scheme '" + u.scheme() + "' is not icmp", "write it like " + EXAMPLE);
      }
      if (u.port() != -1) {
        throw new InvalidInputException("probe.target", "icmp:// takes no port", "use tcp://host:port to check a port");
      }
      host = u.requireHost("probe");
      millis = ProbeTimeout.millis(timeout);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    try {
      return CompletableFuture.supplyAsync(() -> ping(host, millis, timeout), threads);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new DriverException(DriverException.Kind.REJECTED, "the ICMP probe is closed"));
    }
  }

  private static ProbeResult ping(String host, int millis, Duration timeout) {
    long start = System.nanoTime();
    try {
      InetAddress address = InetAddress.getByName(host);
      if (address.isReachable(millis)) {
        return ProbeResult.healthy("reachable", ProbeTimeout.since(start));
      }
      return ProbeResult.unhealthy("no echo reply, " + ProbeTimeout.timedOut(timeout), ProbeTimeout.since(start));
    } catch (UnknownHostException e) {
      return ProbeResult.unhealthy("unknown host " + host, ProbeTimeout.since(start));
    } catch (IOException e) {
      return ProbeResult.unhealthy(String.valueOf(e.getMessage()), ProbeTimeout.since(start));
    }
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
