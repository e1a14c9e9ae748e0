package org.corral.controller.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook: each notification is POSTed as JSON, signed with HMAC-SHA256 over the exact body
 * under the shared key, in the header {@value #SIGNATURE} as {@code sha256=<hex>} (as GitHub's
 * webhooks do). A 2xx answer is a delivery; anything else is retried.
 */
public final class Webhook implements Channel {
  public static final String SIGNATURE = "X-Corral-Signature-256";
  public static final String EVENT = "X-Corral-Event";
  public static final String DELIVERY = "X-Corral-Delivery";

  private final URI url;
  private final byte[] key;
  private final Set<String> events;
  private final Duration timeout;
  /** Made at the first delivery (a client holds a thread): reading the settings starts nothing. */
  private @org.jspecify.annotations.Nullable HttpClient http;

  /** @param key the HMAC key (a secret: never logged) */
  public Webhook(URI url, byte[] key, Set<String> events, Duration timeout) {
    this.url = url;
    this.key = key.clone();
    this.events = Set.copyOf(events);
    this.timeout = timeout;
  }

  private synchronized HttpClient http() {
    if (http == null) {
      http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }
    return http;
  }

  /** {@code sha256=} and the hex HMAC-SHA256 of {@code body} under {@code key}: what a receiver recomputes to check. */
  public static String signature(byte[] key, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  @Override
  public String name() {
    return kind() + " " + target();
  }

  @Override
  public String kind() {
    return "webhook";
  }

  @Override
  public String target() {
    // Scheme, host, port and path: a token in the query or the user part stays out of the logs.
    return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()) + url.getRawPath();
  }

  @Override
  public Set<String> events() {
    return events;
  }

  @Override
  public void send(Notification n) throws IOException, InterruptedException {
    byte[] body = n.toJson().getBytes(StandardCharsets.UTF_8);
    HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
        .header("Content-Type", "application/json")
        .header(EVENT, n.event())
        .header(DELIVERY, Long.toString(n.seq()))
        .header(SIGNATURE, signature(key, body))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    HttpResponse<Void> r = http().send(request, HttpResponse.BodyHandlers.discarding());
    if (r.statusCode() / 100 != 2) {
      throw new IOException(name() + " answered HTTP " + r.statusCode());
    }
  }

  @Override
  public String toString() {
    return name(); // never the key
  }
}
