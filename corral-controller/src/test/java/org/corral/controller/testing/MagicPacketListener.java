package org.corral.controller.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A Wake-on-LAN NIC for tests: a UDP socket on 127.0.0.1 (a free port) that receives datagrams on
 * its own thread, records each one, and hands the MAC of every well-formed magic packet (six 0xFF
 * bytes, then one MAC sixteen times) to {@code onWake}. Only loopback traffic. Thread-safe.
 */
public final class MagicPacketListener implements AutoCloseable {
  /** One datagram as it arrived: its sender and bytes, and the MAC it wakes, or null if malformed. */
  public record Received(InetAddress from, byte[] bytes, String mac) {}

  private final DatagramSocket socket;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Thread thread;

  public MagicPacketListener(Consumer<String> onWake) throws SocketException {
    socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    thread = Thread.ofPlatform().daemon().name("magic-packet-listener").start(() -> {
      byte[] buf = new byte[1024];
      while (!socket.isClosed()) {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
          socket.receive(p);
        } catch (IOException e) {
          return; // closed
        }
        byte[] bytes = Arrays.copyOf(p.getData(), p.getLength());
        String mac = macOf(bytes);
        if (mac != null) {
          onWake.accept(mac); // before it is counted: awaitPackets then sees its effect
        }
        received.add(new Received(p.getAddress(), bytes, mac));
      }
    });
  }

  public int port() {
    return socket.getLocalPort();
  }

  /** Every datagram so far, in order of arrival. */
  public List<Received> received() {
    return List.copyOf(received);
  }

  /** Waits (bounded) until {@code n} datagrams have arrived and been handled. */
  public void awaitPackets(int n, Duration max) {
    if (received.size() >= n) {
      return;
    }
    await(n + " Wake-on-LAN datagram(s) on 127.0.0.1:" + port()).atMost(max).pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(5)).until(() -> received.size() >= n);
  }

  /** The MAC ({@code 52:54:00:ab:cd:ef}) a magic packet wakes, or null when {@code p} is not one. */
  static String macOf(byte[] p) {
    if (p.length != 102) {
      return null;
    }
    for (int i = 0; i < 6; i++) {
      if (p[i] != (byte) 0xFF) {
        return null;
      }
    }
    byte[] mac = Arrays.copyOfRange(p, 6, 12);
    for (int i = 1; i < 16; i++) {
      if (!Arrays.equals(mac, Arrays.copyOfRange(p, 6 + 6 * i, 12 + 6 * i))) {
        return null;
      }
    }
    return HexFormat.ofDelimiter(":").formatHex(mac);
  }

  @Override
  public void close() throws InterruptedException {
    socket.close();
    thread.join(Duration.ofSeconds(5));
  }
}
