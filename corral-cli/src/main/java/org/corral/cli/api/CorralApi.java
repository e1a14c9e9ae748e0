package org.corral.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Calls Corral's REST API under {@code <root>/api/v1}. Every call is synchronous; an error
 * status becomes an {@link ApiException} carrying the server's problem, no answer at all an
 * {@link UnreachableException}. Not thread-safe to share between runs: one per command run.
 */
public final class CorralApi implements AutoCloseable {
  private static final String PREFIX = "/api/v1";
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** Long enough for a host check, which runs every probe with its own timeout. */
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private final String root;
  private final HttpClient http;
  /** Sent as {@code Authorization: Bearer} with every request; null sends none (the server answers 401). */
  private final @Nullable String token;

  /** {@code root} is what the user gave: {@code http://host:7070}, with or without {@code /api/v1}. */
  public CorralApi(String root) {
    this(root, null);
  }

  /** With the API token to send, or null for none. */
  public CorralApi(String root, @Nullable String token) {
    this.root = normalise(root);
    this.token = token;
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CONNECT_TIMEOUT)
        .build();
  }

  /** The base URL as shown in messages, e.g. {@code http://localhost:7070}. */
  public String root() {
    return root;
  }

  public JsonNode get(String path, Map<String, String> query) {
    return send(request(path, query).GET().build());
  }

  public JsonNode get(String path) {
    return get(path, Map.of());
  }

  /** One page of a paged list: its items, and the cursor of the next page (null on the last). */
  public record Page(JsonNode items, @Nullable String next) {}

  /** GETs one page of a paged list route (GET /vms); pass {@code next} as {@code after} for the next. */
  public Page page(String path, Map<String, String> query) {
    HttpRequest req = request(path, query).GET().build();
    HttpResponse<String> response = exchange(req);
    JsonNode items = answer(req, response);
    return new Page(items, response.headers().firstValue("X-Corral-Next").orElse(null));
  }

  /** Every item of a paged list route, page after page (for totals; listings print as they page). */
  public java.util.List<JsonNode> all(String path, Map<String, String> query) {
    java.util.List<JsonNode> out = new java.util.ArrayList<>();
    Map<String, String> q = new java.util.LinkedHashMap<>(query);
    q.put("limit", "5000");
    do {
      Page p = page(path, q);
      p.items().forEach(out::add);
      q.put("after", p.next());
    } while (q.get("after") != null);
    return out;
  }

  /** POSTs {@code body} (null sends no body). Returns the answer, or a missing node for 204. */
  public JsonNode post(String path, @Nullable JsonNode body) {
    HttpRequest.BodyPublisher publisher = body == null
        ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(Json.compact(body), StandardCharsets.UTF_8);
    return send(request(path, Map.of()).header("Content-Type", "application/json").POST(publisher).build());
  }

  /** PUTs {@code body} as JSON. */
  public JsonNode put(String path, JsonNode body) {
    return send(request(path, Map.of()).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(Json.compact(body), StandardCharsets.UTF_8)).build());
  }

  public JsonNode delete(String path) {
    return send(request(path, Map.of()).DELETE().build());
  }

  /**
   * Opens a server-sent event stream and returns its lines as they arrive. The stream has no
   * overall timeout; it ends when the server closes it. Close the returned stream to hang up.
   */
  public Stream<String> streamLines(String path, Map<String, String> query) {
    HttpRequest req = authorized(HttpRequest.newBuilder(uri(path, query)))
        .header("Accept", "text/event-stream")
        .GET()
        .build();
    try {
      HttpResponse<Stream<String>> response = following(req, HttpResponse.BodyHandlers.ofLines());
      if (response.statusCode() >= 400) {
        String body;
        try (Stream<String> lines = response.body()) {
          body = String.join("\n", lines.toList());
        }
        throw new ApiException(Problems.from(response.statusCode(), body));
      }
      return response.body();
    } catch (IOException e) {
      throw new UnreachableException(root, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnreachableException(root, e);
    }
  }

  /** Joins path segments, percent-encoding each: {@code path("vms", name, "start")}. */
  public static String path(String... segments) {
    StringJoiner j = new StringJoiner("/", "/", "");
    for (String s : segments) {
      j.add(Encoding.segment(s));
    }
    return j.toString();
  }

  private HttpRequest.Builder request(String path, Map<String, String> query) {
    return authorized(HttpRequest.newBuilder(uri(path, query)))
        .header("Accept", "application/json")
        .timeout(REQUEST_TIMEOUT);
  }

  private HttpRequest.Builder authorized(HttpRequest.Builder b) {
    return token == null ? b : b.header("Authorization", "Bearer " + token);
  }

  /** Whether a token is sent (for messages that say how to get one). */
  public boolean hasToken() {
    return token != null;
  }

  private URI uri(String path, Map<String, String> query) {
    return URI.create(root + PREFIX + path + Encoding.query(query));
  }

  private JsonNode send(HttpRequest req) {
    return answer(req, exchange(req));
  }

  private HttpResponse<String> exchange(HttpRequest req) {
    try {
      return following(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UnreachableException(root, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnreachableException(root, e);
    }
  }

  /**
   * Sends {@code req}, following a follower controller's 307/308 to the leader with the same
   * method, body and token (the JDK's own redirects drop the token on another port). At most a
   * few hops, and never from HTTPS down to HTTP, where the token would travel in clear.
   */
  private <T> HttpResponse<T> following(HttpRequest req, HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
    HttpRequest current = req;
    for (int hop = 0; ; hop++) {
      HttpResponse<T> r = http.send(current, handler);
      int status = r.statusCode();
      java.util.Optional<String> location = r.headers().firstValue("Location");
      if ((status != 307 && status != 308) || location.isEmpty() || hop == 3) {
        return r;
      }
      URI next = current.uri().resolve(location.get());
      if ("https".equals(current.uri().getScheme()) && !"https".equals(next.getScheme())) {
        return r;
      }
      if (r.body() instanceof Stream<?> lines) {
        lines.close();
      }
      current = HttpRequest.newBuilder(current, (name, value) -> true).uri(next).build();
    }
  }

  private static JsonNode answer(HttpRequest req, HttpResponse<String> response) {
    int status = response.statusCode();
    if (status >= 400) {
      throw new ApiException(Problems.from(status, response.body()));
    }
    String body = response.body();
    if (body == null || body.isBlank()) {
      return MissingNode.getInstance();
    }
    return Json.parse(body, "the answer of " + req.method() + " " + req.uri());
  }

  private static String normalise(String given) {
    String s = given == null ? "" : given.strip();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    if (s.endsWith(PREFIX)) {
      s = s.substring(0, s.length() - PREFIX.length());
    }
    try {
      URI u = new URI(s);
      if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
        throw new SettingException("'" + given + "' is not an http:// or https:// URL; give e.g. --api http://localhost:7070");
      }
    } catch (URISyntaxException e) {
      throw new SettingException("'" + given + "' is not a URL (" + e.getReason() + "); give e.g. --api http://localhost:7070");
    }
    return s;
  }

  @Override
  public void close() {
    http.close();
  }
}
