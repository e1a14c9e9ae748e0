package org.corral.controller.boot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on 127.0.0.1 that a test controls: what stands between one controller and
 * PostgreSQL, so that the test can cut that controller off the database (and only that one)
 * and heal the cut. A cut closes every connection through the proxy at once and refuses new ones
 * until {@link #heal} (as a firewall that rejects); the controller sees its statements fail. A
 * {@link #blackhole} instead drops every byte while connections stay open and new ones are
 * accepted (as a network that loses packets): the controller's statements get no answer at all.
 */
final class TcpProxy implements AutoCloseable {
  private final ServerSocket server;
  private final InetSocketAddress target;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean cut;
  private volatile boolean silent;
  private volatile boolean closed;

  TcpProxy(String targetHost, int targetPort) throws IOException {
    this.target = new InetSocketAddress(targetHost, targetPort);
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("tcp-proxy-accept").start(this::accept);
  }

  int port() {
    return server.getLocalPort();
  }

  /** From now on nothing passes: open connections are closed, new ones refused. */
  void cut() {
    cut = true;
    for (Socket s : open) {
      closeQuietly(s);
    }
  }

  /** From now on every byte is dropped, both ways; connections stay open and new ones are accepted. */
  void blackhole() {
    silent = true;
  }

  /**
   * Connections are accepted and passed through again. After a blackhole the connections that lost
   * bytes are closed (their streams cannot be trusted), as the peers' timeouts would have.
   */
  void heal() {
    if (silent) {
      silent = false;
      for (Socket s : open) {
        closeQuietly(s);
      }
    }
    cut = false;
  }

  private void accept() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      if (cut) {
        closeQuietly(client);
        continue;
      }
      if (silent) { // accepted, and never answered
        open.add(client);
        Thread.ofVirtual().start(() -> pump(client, OutputStream.nullOutputStream()));
        continue;
      }
      Socket upstream = new Socket();
      try {
        upstream.connect(target, 5_000);
      } catch (IOException e) {
        closeQuietly(client);
        closeQuietly(upstream);
        continue;
      }
      open.add(client);
      open.add(upstream);
      Thread.ofVirtual().start(() -> pump(client, upstream));
      Thread.ofVirtual().start(() -> pump(upstream, client));
    }
  }

  /** Copies {@code from} to {@code to} until either closes or the cut; then closes both. */
  private void pump(Socket from, Socket to) {
    try (OutputStream out = to.getOutputStream()) {
      pump(from, out);
    } catch (IOException e) {
      // closed already
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      open.remove(from);
      open.remove(to);
    }
  }

  /** Copies what {@code from} sends to {@code out} (nothing while silent) until it closes or the cut; then closes it. */
  private void pump(Socket from, OutputStream out) {
    byte[] buf = new byte[16 * 1024];
    try (InputStream in = from.getInputStream()) {
      int n;
      while (!cut && (n = in.read(buf)) >= 0) {
        if (cut) {
          break;
        }
        if (!silent) {
          out.write(buf, 0, n);
          out.flush();
        }
      }
    } catch (IOException e) {
      // closed by the other side, by the other pump, or by the cut
    } finally {
      closeQuietly(from);
      open.remove(from);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    cut();
  }
}
