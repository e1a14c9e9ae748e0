package org.corral.controller.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.corral.controller.boot.AdminToken;

/**
 * The one place tests get their credentials: the admin token a test Corral wrote to its home
 * (as `corral up` does), registered per port, so that {@link ApiClient} and {@link RawHttp} send
 * it with every request. Tests of authentication itself send their own headers.
 */
public final class TestTokens {
  private static final Map<Integer, String> BY_PORT = new ConcurrentHashMap<>();

  private TestTokens() {}

  /** The token Corral wrote to {@code home}/admin.token at its first start. */
  public static String admin(Path home) {
    try {
      return Files.readString(home.resolve(AdminToken.FILE), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("the test Corral wrote no admin token under " + home, e);
    }
  }

  /** Requests to {@code port} carry the admin token of {@code home} from now on. */
  public static String register(int port, Path home) {
    String token = admin(home);
    BY_PORT.put(port, token);
    return token;
  }

  /** The token requests to {@code port} carry, or null when none is registered. */
  static String forPort(int port) {
    return BY_PORT.get(port);
  }

  /** {@code head} (a request line and headers) with the port's Authorization header added after the request line. */
  static String authorize(int port, String head) {
    String token = BY_PORT.get(port);
    if (token == null || head.toLowerCase(java.util.Locale.ROOT).contains("\r\nauthorization:")) {
      return head;
    }
    int eol = head.indexOf("\r\n");
    String auth = "Authorization: Bearer " + token;
    return eol < 0 ? head + "\r\n" + auth : head.substring(0, eol) + "\r\n" + auth + head.substring(eol);
  }
}
