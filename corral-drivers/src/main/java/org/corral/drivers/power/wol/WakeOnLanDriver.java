package org.corral.drivers.power.wol;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.corral.drivers.DriverException;
import org.corral.drivers.DriverException.Kind;
import org.corral.drivers.power.PowerDriver;
import org.corral.drivers.power.PowerStatus;
import org.corral.drivers.power.PowerTarget;

/**
 * Wake-on-LAN (scheme {@code wol}): {@link #powerOn} broadcasts the magic packet for
 * {@link PowerTarget#mac()} and completes once it left this machine; whether the host woke is
 * for the executor to observe. Power-off and cycle are UNSUPPORTED (pair with {@code ssh://} in
 * {@code PowerSpec.off}); status is always UNKNOWN. Thread-safe; {@link #close()} stops it.
 */
public final class WakeOnLanDriver implements PowerDriver, AutoCloseable {
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

  @Override
  public Set<String> schemes() {
    return Set.of("wol");
  }

  @Override
  public CompletionStage<Void> powerOn(PowerTarget target) {
    WolTarget t;
    byte[] packet;
    try {
      t = WolTarget.parse("power.on", target.uri());
      packet = MagicPacket.of(MagicPacket.parseMac("power.mac", target.mac()));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    try {
      return CompletableFuture.runAsync(() -> send(target.host(), t, packet), threads);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new DriverException(DriverException.Kind.REJECTED, "the Wake-on-LAN driver is closed"));
    }
  }

  private static void send(String host, WolTarget t, byte[] packet) {
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setBroadcast(true);
      DatagramPacket p = new DatagramPacket(packet, packet.length, InetAddress.getByName(t.broadcast()), t.port());
      for (int i = 0; i < t.repeat(); i++) {
        socket.send(p);
      }
    } catch (UnknownHostException e) {
      throw new DriverException(Kind.UNREACHABLE, "cannot resolve Wake-on-LAN address " + t.broadcast()
          + " for " + host + "; use the subnet's broadcast address, e.g. 192.168.1.255", e);
    } catch (IOException e) {
      throw new DriverException(Kind.UNREACHABLE, "sending the Wake-on-LAN packet for " + host + " to "
          + t.broadcast() + ":" + t.port() + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public CompletionStage<Void> powerOff(PowerTarget target, boolean hard) {
    return unsupported(target, "power off");
  }

  @Override
  public CompletionStage<Void> cycle(PowerTarget target) {
    return unsupported(target, "power cycle");
  }

  /** Always UNKNOWN: Wake-on-LAN has no way to ask. */
  @Override
  public CompletionStage<PowerStatus> status(PowerTarget target) {
    return CompletableFuture.completedFuture(PowerStatus.UNKNOWN);
  }

  private static CompletionStage<Void> unsupported(PowerTarget target, String what) {
    return CompletableFuture.failedFuture(new DriverException(Kind.UNSUPPORTED, "Wake-on-LAN cannot " + what + " "
        + target.host() + "; set PowerSpec.off to an ssh:// URI (e.g. ssh://root@" + target.host()
        + ") to switch it off"));
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
