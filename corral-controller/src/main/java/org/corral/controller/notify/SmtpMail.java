package org.corral.controller.notify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * E-mail over SMTP (RFC 5321), as plain as it gets: EHLO, AUTH PLAIN when a user is given (only
 * over TLS: implicit TLS, {@code smtps}, or STARTTLS (RFC 3207) required before anything else is
 * said; a password never crosses the network in clear), MAIL FROM, RCPT TO for each address, DATA.
 * One connection per notification: they are rare. Over TLS the server's certificate must chain to
 * a trusted certificate (the JVM's, or those of {@link Server#trust}) and name the server's host.
 */
public final class SmtpMail implements Channel {
  /** How the session is protected. */
  public enum Security {
    /** No TLS: only for a relay on the local network that needs no login. */
    PLAIN,
    /** Implicit TLS from the first byte (SMTPS, usually port 465). */
    TLS,
    /**
     * STARTTLS (usually port 587): the session starts in clear and is upgraded before anything
     * but EHLO is sent. Required, not opportunistic: a server that does not offer it gets nothing.
     */
    STARTTLS;

    boolean encrypted() {
      return this != PLAIN;
    }
  }

  /**
   * Where and how to send; the password is a secret, kept out of {@link #toString()}.
   *
   * @param trust certificates to trust for the server (a PEM file's, loaded into a trust store),
   *              or null for the JVM's default trust store
   */
  public record Server(String host, int port, Security security, @Nullable String user, @Nullable String password,
      javax.net.ssl.@Nullable SSLContext trust) {
    /** Implicit TLS or none, trusting the JVM's default certificates. */
    public Server(String host, int port, boolean tls, @Nullable String user, @Nullable String password) {
      this(host, port, tls ? Security.TLS : Security.PLAIN, user, password, null);
    }

    @Override
    public String toString() {
      return switch (security) {
        case PLAIN -> "smtp://";
        case TLS -> "smtps://";
        case STARTTLS -> "smtp+starttls://";
      } + (user != null ? user + "@" : "") + host + ":" + port;
    }
  }

  private final Server server;
  private final String from;
  private final List<String> to;
  private final Set<String> events;
  private final Duration timeout;

  public SmtpMail(Server server, String from, List<String> to, Set<String> events, Duration timeout) {
    if (server.user() != null && !server.security().encrypted()) {
      throw new IllegalArgumentException("a password is sent only over TLS");
    }
    this.server = server;
    this.from = from;
    this.to = List.copyOf(to);
    this.events = Set.copyOf(events);
    this.timeout = timeout;
  }

  @Override
  public String name() {
    return "e-mail to " + target();
  }

  @Override
  public String kind() {
    return "email";
  }

  @Override
  public String target() {
    return String.join(", ", to) + " via " + server;
  }

  @Override
  public Set<String> events() {
    return events;
  }

  @Override
  public void send(Notification n) throws IOException {
    Socket socket = open();
    try {
      socket.setSoTimeout((int) timeout.toMillis());
      Session session = new Session(socket);
      session.expect(220);
      List<String> capabilities = session.command("EHLO corral", 250);
      if (server.security() == Security.STARTTLS) {
        if (capabilities.stream().noneMatch(c -> c.regionMatches(true, 4, "STARTTLS", 0, 8))) {
          throw new IOException("the SMTP server does not offer STARTTLS; nothing is sent in clear (starttls: true)");
        }
        session.command("STARTTLS", 220);
        socket = upgrade(socket);
        session = new Session(socket);
        session.command("EHLO corral", 250); // RFC 3207: what was learnt before TLS is forgotten
      }
      String user = server.user();
      String password = server.password();
      if (user != null && password != null) {
        String token = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
        session.write("AUTH PLAIN " + token);
        session.expect(235); // the reply never echoes the token; errors below never include the command
      }
      session.command("MAIL FROM:<" + from + ">", 250);
      for (String rcpt : to) {
        session.command("RCPT TO:<" + rcpt + ">", 250);
      }
      session.command("DATA", 354);
      session.write(message(n));
      session.command(".", 250);
      session.write("QUIT");
    } finally {
      socket.close();
    }
  }

  private javax.net.ssl.SSLSocketFactory tlsFactory() {
    javax.net.ssl.SSLContext trust = server.trust();
    return trust != null ? trust.getSocketFactory() : (javax.net.ssl.SSLSocketFactory) SSLSocketFactory.getDefault();
  }

  /** The certificate must name the server's host, as HTTPS checks it (a trusted certificate of another host is refused). */
  private static void verifyHost(javax.net.ssl.SSLSocket s) {
    javax.net.ssl.SSLParameters p = s.getSSLParameters();
    p.setEndpointIdentificationAlgorithm("HTTPS");
    s.setSSLParameters(p);
  }

  private Socket open() throws IOException {
    Socket s;
    if (server.security() == Security.TLS) {
      javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) tlsFactory().createSocket();
      verifyHost(tls);
      s = tls;
    } else {
      s = new Socket();
    }
    try {
      s.connect(new InetSocketAddress(server.host(), server.port()), (int) timeout.toMillis());
      return s;
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  /** STARTTLS: the same connection, now under TLS, the handshake done (a certificate that fails fails here). */
  private Socket upgrade(Socket plain) throws IOException {
    javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) tlsFactory().createSocket(plain, server.host(), server.port(), true);
    verifyHost(tls);
    tls.setSoTimeout((int) timeout.toMillis());
    tls.startHandshake();
    return tls;
  }

  /** The message: headers, a blank line, the body with its lines dot-stuffed, CRLF throughout. */
  String message(Notification n) {
    StringBuilder b = new StringBuilder();
    b.append("From: ").append(from).append("\r\n");
    b.append("To: ").append(String.join(", ", to)).append("\r\n");
    b.append("Subject: [corral] ").append(n.event()).append(' ').append(oneLine(n.subject())).append("\r\n");
    b.append("Date: ").append(java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(n.at().atOffset(java.time.ZoneOffset.UTC)))
        .append("\r\n");
    b.append("Content-Type: text/plain; charset=UTF-8\r\n");
    b.append("X-Corral-Event: ").append(n.event()).append("\r\n\r\n");
    String body = n.message() + "\n\nevent: " + n.event() + "\nsubject: " + n.subject() + "\nat: " + n.at() + "\njournal seq: " + n.seq();
    for (String line : body.split("\r?\n", -1)) {
      b.append(line.startsWith(".") ? "." + line : line).append("\r\n");
    }
    b.setLength(b.length() - 2);
    return b.toString();
  }

  private static String oneLine(String s) {
    return s.replaceAll("[\\r\\n]+", " ");
  }

  /** One connection's reader and writer (a new one after STARTTLS: nothing read in clear is kept). */
  private static final class Session {
    private final BufferedReader in;
    private final OutputStream out;

    Session(Socket socket) throws IOException {
      in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      out = socket.getOutputStream();
    }

    List<String> command(String line, int code) throws IOException {
      write(line);
      return expect(code);
    }

    void write(String line) throws IOException {
      out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    /** Reads one reply (its continuation lines too), checks its code and returns its lines. */
    List<String> expect(int code) throws IOException {
      List<String> lines = new java.util.ArrayList<>();
      String line;
      do {
        line = in.readLine();
        if (line == null) {
          throw new IOException("the SMTP server closed the connection");
        }
        lines.add(line);
      } while (line.length() > 3 && line.charAt(3) == '-');
      if (!line.startsWith(Integer.toString(code))) {
        throw new IOException("the SMTP server answered '" + line + "' where " + code + " was expected");
      }
      return lines;
    }
  }

  @Override
  public String toString() {
    return name();
  }
}
