package org.corral.drivers.libvirt;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP listener on loopback that accepts connections and never answers: a host whose libvirtd
 * hangs. Used to check that a hung host costs a bounded wait and blocks no other host.
 */
final class SilentServer implements AutoCloseable {
  private final ServerSocket socket;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  SilentServer() throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = Thread.ofPlatform().daemon().name("silent-server").start(() -> {
      while (!socket.isClosed()) {
        try {
          accepted.add(socket.accept());
        } catch (IOException e) {
          return;
        }
      }
    });
  }

  String uri() {
    return "qemu+tcp://127.0.0.1:" + socket.getLocalPort() + "/system";
  }

  @Override
  public void close() throws IOException {
    socket.close();
    for (Socket s : accepted) {
      s.close();
    }
    acceptor.interrupt();
  }
}
