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
 * over implicit TLS, {@code smtps}: a password never crosses the network in clear), MAIL FROM,
 * RCPT TO for each address, DATA. One connection per notification: they are rare.
 */
public final class SmtpMail implements Channel {
  /** Where and how to send; the password is a secret, kept out of {@link #toString()}. */
  public record Server(String host, int port, boolean tls, @Nullable String user, @Nullable String password) {
    @Override
    public String toString() {
      return (tls ? "smtps://" : "smtp://") + (user != null ? user + "@" : "") + host + ":" + port;
    }
  }

  private final Server server;
  private final String from;
  private final List<String> to;
  private final Set<String> events;
  private final Duration timeout;

  public SmtpMail(Server server, String from, List<String> to, Set<String> events, Duration timeout) {
    if (server.user() != null && !server.tls()) {
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
    try (Socket socket = open()) {
      socket.setSoTimeout((int) timeout.toMillis());
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      OutputStream out = socket.getOutputStream();
      expect(in, 220);
      command(out, in, "EHLO corral", 250);
      String user = server.user();
      String password = server.password();
      if (user != null && password != null) {
        String token = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
        write(out, "AUTH PLAIN " + token);
        expect(in, 235); // the reply never echoes the token; errors below never include the command
      }
      command(out, in, "MAIL FROM:<" + from + ">", 250);
      for (String rcpt : to) {
        command(out, in, "RCPT TO:<" + rcpt + ">", 250);
      }
      command(out, in, "DATA", 354);
      write(out, message(n));
      command(out, in, ".", 250);
      write(out, "QUIT");
    }
  }

  private Socket open() throws IOException {
    Socket s = server.tls() ? SSLSocketFactory.getDefault().createSocket() : new Socket();
    try {
      s.connect(new InetSocketAddress(server.host(), server.port()), (int) timeout.toMillis());
      return s;
    } catch (IOException e) {
      s.close();
      throw e;
    }
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

  private static void command(OutputStream out, BufferedReader in, String line, int code) throws IOException {
    write(out, line);
    expect(in, code);
  }

  private static void write(OutputStream out, String line) throws IOException {
    out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Reads one reply (its continuation lines too) and checks its code. */
  private static void expect(BufferedReader in, int code) throws IOException {
    String line;
    do {
      line = in.readLine();
      if (line == null) {
        throw new IOException("the SMTP server closed the connection");
      }
    } while (line.length() > 3 && line.charAt(3) == '-');
    if (!line.startsWith(Integer.toString(code))) {
      throw new IOException("the SMTP server answered '" + line + "' where " + code + " was expected");
    }
  }

  @Override
  public String toString() {
    return name();
  }
}
