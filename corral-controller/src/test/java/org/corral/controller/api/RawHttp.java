package org.corral.controller.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 written by hand over a loopback socket, for what java.net.http will not send: any Host
 * header, chunked or lying framing, raw bytes in the path, a body that stops half way.
 */
final class RawHttp {
  private RawHttp() {}

  /** An answer; {@code headers} keys are lower case. */
  record Reply(int status, Map<String, String> headers, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    JsonNode json() {
      try {
        return ApiClient.JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + this, e);
      }
    }

    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
      String t = text();
      return status + " " + headers + " " + (t.length() > 500 ? t.substring(0, 500) + "…" : t);
    }
  }

  /** Sends {@code head} (request line and headers, without the blank line) and {@code body} as given. */
  static Reply send(int port, String head, byte[] body) {
    return exchange(port, out -> {
      out.write((TestTokens.authorize(port, head) + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      out.write(body);
    });
  }

  /** A POST of {@code body} in chunks of 64 KiB with Transfer-Encoding: chunked. */
  static Reply chunked(int port, String path, String contentType, byte[] body) {
    return exchange(port, out -> {
      out.write((TestTokens.authorize(port, "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: " + contentType
          + "\r\nTransfer-Encoding: chunked\r\nConnection: close") + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      for (int at = 0; at < body.length; at += 65536) {
        int n = Math.min(65536, body.length - at);
        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.write(body, at, n);
        out.write("\r\n".getBytes(StandardCharsets.UTF_8));
      }
      out.write("0\r\n\r\n".getBytes(StandardCharsets.UTF_8));
    });
  }

  interface Writer {
    void write(OutputStream out) throws IOException;
  }

  /** Writes the request, then reads the whole answer (the server closes or frames it). */
  static Reply exchange(int port, Writer request) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(30_000);
      try {
        request.write(s.getOutputStream());
        s.getOutputStream().flush();
      } catch (IOException e) {
        // The server may answer (413) and close before it has read everything we send.
      }
      return read(s.getInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Reply read(InputStream in) throws IOException {
    String statusLine = line(in);
    if (statusLine == null) {
      throw new IOException("connection closed without an answer");
    }
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
      int colon = l.indexOf(':');
      headers.put(l.substring(0, colon).strip().toLowerCase(Locale.ROOT), l.substring(colon + 1).strip());
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    String length = headers.get("content-length");
    try {
      if (length != null) {
        body.write(in.readNBytes(Integer.parseInt(length)));
      } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        for (int n = Integer.parseInt(line(in).strip(), 16); n > 0; n = Integer.parseInt(line(in).strip(), 16)) {
          body.write(in.readNBytes(n));
          line(in);
        }
      } else if (status != 204) {
        body.write(in.readAllBytes());
      }
    } catch (SocketTimeoutException e) {
      throw new IOException("no complete answer within the socket timeout; got " + status + " " + headers, e);
    }
    return new Reply(status, headers, body.toByteArray());
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      if (c != '\r') {
        b.write(c);
      }
    }
    return c < 0 && b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
  }
}
