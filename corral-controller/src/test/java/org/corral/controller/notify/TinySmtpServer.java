package org.corral.controller.notify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An SMTP server for tests, on 127.0.0.1 and a free port: it accepts every message (one session
 * at a time, on a virtual thread) and keeps its envelope and data; {@code failFirst} sessions are
 * refused with a 451 at MAIL FROM first, to test retries. Given a TLS context it offers STARTTLS
 * (RFC 3207) and takes AUTH PLAIN only once the session is under TLS.
 */
final class TinySmtpServer implements AutoCloseable {
  /** A message, whether it came under TLS, and the login it came with ("user:password"), if any. */
  record Mail(String from, List<String> to, String data, boolean tls, @org.jspecify.annotations.Nullable String login) {}

  private final ServerSocket server;
  final List<Mail> received = new CopyOnWriteArrayList<>();
  /** Every command line received before STARTTLS, as the network saw them in clear. */
  final List<String> inClear = new CopyOnWriteArrayList<>();
  private volatile int failFirst;
  private final javax.net.ssl.@org.jspecify.annotations.Nullable SSLContext tls;

  TinySmtpServer(int failFirst) throws IOException {
    this(failFirst, null);
  }

  TinySmtpServer(int failFirst, javax.net.ssl.@org.jspecify.annotations.Nullable SSLContext startTls) throws IOException {
    this.failFirst = failFirst;
    this.tls = startTls;
    this.server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(this::serve);
  }

  int port() {
    return server.getLocalPort();
  }

  private void serve() {
    while (!server.isClosed()) {
      try (Socket s = server.accept()) {
        session(s);
      } catch (IOException e) {
        // closed, or a client gone: next session
      }
    }
  }

  private void session(Socket s) throws IOException {
    Socket socket = s;
    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    OutputStream out = socket.getOutputStream();
    boolean secure = false;
    String login = null;
    reply(out, "220 tiny ESMTP");
    String from = null;
    List<String> to = new ArrayList<>();
    String line;
    while ((line = in.readLine()) != null) {
      if (!secure) {
        inClear.add(line);
      }
      String upper = line.toUpperCase(java.util.Locale.ROOT);
      if (upper.startsWith("EHLO")) {
        reply(out, tls != null && !secure ? "250-tiny\r\n250-STARTTLS\r\n250 8BITMIME" : "250-tiny\r\n250-AUTH PLAIN\r\n250 8BITMIME");
      } else if (upper.equals("STARTTLS") && tls != null && !secure) {
        reply(out, "220 go ahead");
        javax.net.ssl.SSLSocket upgraded = (javax.net.ssl.SSLSocket) tls.getSocketFactory().createSocket(socket, null, true);
        upgraded.setUseClientMode(false);
        upgraded.startHandshake();
        socket = upgraded;
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        out = socket.getOutputStream();
        secure = true;
      } else if (upper.startsWith("AUTH PLAIN ")) {
        if (tls != null && !secure) {
          reply(out, "530 must issue a STARTTLS command first");
          continue;
        }
        String[] parts = new String(java.util.Base64.getDecoder().decode(line.substring(11)), StandardCharsets.UTF_8).split("\0");
        login = parts[1] + ":" + parts[2];
        reply(out, "235 authenticated");
      } else if (upper.startsWith("MAIL FROM:")) {
        if (failFirst > 0) {
          failFirst--;
          reply(out, "451 try again later");
          return;
        }
        from = line.substring(10).replaceAll("[<>]", "");
        reply(out, "250 ok");
      } else if (upper.startsWith("RCPT TO:")) {
        to.add(line.substring(8).replaceAll("[<>]", ""));
        reply(out, "250 ok");
      } else if (upper.equals("DATA")) {
        reply(out, "354 end with .");
        StringBuilder data = new StringBuilder();
        while ((line = in.readLine()) != null && !line.equals(".")) {
          data.append(line.startsWith("..") ? line.substring(1) : line).append('\n');
        }
        received.add(new Mail(String.valueOf(from), List.copyOf(to), data.toString(), secure, login));
        reply(out, "250 queued");
      } else if (upper.equals("QUIT")) {
        reply(out, "221 bye");
        return;
      } else {
        reply(out, "502 not here");
      }
    }
  }

  private static void reply(OutputStream out, String text) throws IOException {
    out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
