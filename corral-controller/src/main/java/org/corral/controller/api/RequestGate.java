package org.corral.controller.api;

import io.javalin.http.Context;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.corral.controller.auth.AccessPolicy;
import org.corral.controller.auth.Accounts;
import org.corral.controller.auth.Permission;
import org.corral.controller.auth.Principal;
import org.corral.model.AccessDeniedException;
import org.corral.model.InvalidInputException;
import org.corral.model.time.Clock;
import org.eclipse.jetty.http.BadMessageException;
import org.jspecify.annotations.Nullable;

/**
 * The one place every request passes before a route runs (docs/security.md). In order: the Host
 * header must be a name Corral answers to (DNS rebinding), an Origin must be the API's own or
 * allowed (a web page must not drive Corral), the method and path must be a route (404, or 405
 * with Allow), the request must carry a valid token (401; docs/users-and-roles.md) whose user's
 * role allows the route's {@link Permission} (403; the dashboard's static files, {@link Dashboard#serves}, need none), the query may hold only that route's parameters, a request with a body must be
 * {@code application/json} in UTF-8 (415: browsers send text/plain and forms without asking), and
 * the body is read here, at most {@link #MAX_BODY_BYTES} whatever its framing (413). Routes read
 * it with {@link #body}, never from the request.
 */
final class RequestGate {
  /** Largest request body read, chunked or not: far above any valid request (a VM's userData is at most 64 KiB). */
  static final int MAX_BODY_BYTES = 1024 * 1024;
  /**
   * Slowest a body may arrive, counted from its first byte once a second has passed; slower
   * clients get 408. (Not Jetty's own minimum data rate: that one also fires on a small body
   * read a few milliseconds after it arrived, which a loaded machine does.)
   */
  static final long MIN_BYTES_PER_SECOND = 4096;
  private static final Duration RATE_GRACE = Duration.ofSeconds(1);
  private static final String BODY = "corral.body";
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-f:.]+(%[0-9a-z]+)?]");

  /** A served route; {@code path} uses Javalin's syntax ({@code {name}} one segment, {@code <key>} the rest). */
  record Route(String method, String path, Permission permission, Pattern pattern, Set<String> query, boolean takesBody) {}

  private static final String PRINCIPAL = "corral.principal";

  private final List<Route> routes = new ArrayList<>();
  private final ApiSettings settings;
  private final Clock clock;
  private final Set<String> names = new HashSet<>();
  private final Accounts accounts;

  RequestGate(ApiSettings settings, String listenHost, Clock clock, Accounts accounts) {
    this.settings = settings;
    this.clock = clock;
    this.accounts = accounts;
    names.add("localhost");
    names.addAll(settings.serverNames());
    String h = listenHost.toLowerCase(Locale.ROOT);
    if (!h.equals("0.0.0.0") && !h.equals("::") && !h.equals("[::]")) {
      names.add(h);
    }
  }

  void add(String method, String path, Permission permission, Set<String> query, boolean takesBody) {
    StringBuilder re = new StringBuilder();
    for (String part : path.split("(?=[{<])|(?<=[}>])")) {
      re.append(part.startsWith("{") ? "[^/]+" : part.startsWith("<") ? ".+" : Pattern.quote(part));
    }
    routes.add(new Route(method, path, permission, Pattern.compile(re.toString()), Set.copyOf(query), takesBody));
  }

  /** Routes as "METHOD path" (the OpenAPI test checks each is documented). */
  List<String> list() {
    return routes.stream().map(r -> r.method() + " " + r.path()).toList();
  }

  List<Route> routes() {
    return List.copyOf(routes);
  }

  void check(Context ctx) {
    checkHost(ctx.header("Host"));
    checkOrigin(ctx.header("Origin"), ctx.header("Host"));
    if (Dashboard.serves(ctx.method().name(), ctx.path())) {
      return; // the dashboard's static files: open, they hold no data (the page asks the API with its token)
    }
    Route route = route(ctx.method().name(), ctx.path());
    authenticate(ctx, route);
    checkQuery(ctx.req().getQueryString(), route);
    checkBody(ctx, route);
  }

  /**
   * Who sent the request (401 without a valid token), and whether their role allows the route at
   * all (403); the route checks the object itself. Open: POST /login, and /metrics from a
   * loopback client when api.metrics is {@code loopback}.
   */
  private void authenticate(Context ctx, Route route) {
    Permission p = route.permission();
    if (p.developerRule() == Permission.Rule.OPEN) {
      return;
    }
    if (p == Permission.READ_METRICS && settings.metrics() == ApiSettings.MetricsAccess.LOOPBACK
        && ctx.header("Authorization") == null && isLoopback(ctx.req().getRemoteAddr())) {
      return;
    }
    Principal who = accounts.authenticate(ctx.header("Authorization"), ctx.header("X-Corral-User"));
    if (!AccessPolicy.allows(who.role(), p, AccessPolicy.Relation.ROUTE)) {
      throw new AccessDeniedException(AccessDeniedException.Reason.FORBIDDEN, route.method() + " " + route.path()
          + " is for administrators; " + who.name() + " is a " + who.role().label() + " (docs/users-and-roles.md lists who may do what)");
    }
    ctx.attribute(PRINCIPAL, who);
  }

  private static boolean isLoopback(@Nullable String address) {
    if (address == null) {
      return false;
    }
    String a = address.replace("[", "").replace("]", "");
    return a.startsWith("127.") || a.equals("::1") || a.equals("0:0:0:0:0:0:0:1") || a.startsWith("::ffff:127.");
  }

  /** The authenticated user of a request that passed {@link #check} on a route that is not open. */
  static Principal principal(Context ctx) {
    Principal p = ctx.attribute(PRINCIPAL);
    if (p == null) {
      throw new IllegalStateException("no authenticated user on an open route: " + ctx.path());
    }
    return p;
  }

  /** The request body as UTF-8 text, read by {@link #check}; "" when there is none. */
  static String body(Context ctx) {
    String b = ctx.attribute(BODY);
    return b == null ? "" : b;
  }

  private void checkHost(@Nullable String host) {
    if (host == null) {
      return; // HTTP/1.0 without Host: not what a browser sends
    }
    String h = host.strip().toLowerCase(Locale.ROOT);
    String name = h.startsWith("[") ? h.substring(0, h.indexOf(']') + 1) : h.replaceFirst(":\\d*$", "");
    // An address cannot be a rebinding: the attack needs a name the attacker's DNS answers.
    if (IPV4.matcher(name).matches() || IPV6.matcher(name).matches() || names.contains(name)) {
      return;
    }
    throw new HttpProblem(403, "forbidden", "Forbidden", "Host " + InvalidInputException.quote(host)
        + " is not a name this Corral answers to (a guard against DNS rebinding); use localhost or an IP address,"
        + " or add the name to api.serverNames in corral.yaml");
  }

  private void checkOrigin(@Nullable String origin, @Nullable String host) {
    if (origin == null) {
      return; // not a browser, or a same-origin GET
    }
    String o = origin.strip().toLowerCase(Locale.ROOT);
    if (host != null) {
      String h = host.strip().toLowerCase(Locale.ROOT);
      if (o.equals("http://" + h) || o.equals("https://" + h)) {
        return;
      }
    }
    if (settings.allowedOrigins().contains(o)) {
      return;
    }
    throw new HttpProblem(403, "forbidden", "Forbidden", "Origin " + InvalidInputException.quote(origin)
        + " may not use this API: only pages served by Corral itself or listed in api.allowedOrigins in corral.yaml may");
  }

  private Route route(String method, String rawPath) {
    String path = rawPath.length() > 1 && rawPath.endsWith("/") ? rawPath.substring(0, rawPath.length() - 1) : rawPath;
    Set<String> allowed = new TreeSet<>();
    for (Route r : routes) {
      if (r.pattern().matcher(path).matches()) {
        if (r.method().equals(method)) {
          return r;
        }
        allowed.add(r.method());
      }
    }
    if (allowed.isEmpty()) {
      throw new HttpProblem(404, "not-found", "Not found", "no route " + method + " " + InvalidInputException.quote(rawPath)
          + "; see " + ApiServer.V1 + "/openapi.json");
    }
    String allow = String.join(", ", allowed);
    throw new HttpProblem(405, "method-not-allowed", "Method not allowed", method + " is not allowed on "
        + InvalidInputException.quote(rawPath) + "; use " + allow, Map.of("Allow", allow));
  }

  private static void checkQuery(@Nullable String query, Route route) {
    if (query == null || query.isEmpty()) {
      return;
    }
    Set<String> seen = new LinkedHashSet<>();
    for (String pair : query.split("&", -1)) {
      String name = pair.indexOf('=') < 0 ? pair : pair.substring(0, pair.indexOf('='));
      String decoded;
      try {
        decoded = URLDecoder.decode(name, StandardCharsets.UTF_8);
        URLDecoder.decode(pair.substring(name.length()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException("query", InvalidInputException.quote(pair) + " is not percent-encoded correctly",
            "encode reserved characters as %XX");
      }
      if (!route.query().contains(decoded)) {
        throw new InvalidInputException(decoded.isEmpty() ? "query" : decoded, "is not a query parameter of "
            + route.method() + " " + route.path(), route.query().isEmpty() ? "send no query string"
            : "use only " + String.join(", ", new TreeSet<>(route.query())));
      }
      if (!seen.add(decoded)) {
        throw new InvalidInputException(decoded, "is given more than once", "give it once");
      }
    }
  }

  private void checkBody(Context ctx, Route route) {
    long length = ctx.req().getContentLengthLong();
    boolean chunked = ctx.header("Transfer-Encoding") != null;
    boolean hasBody = length > 0 || chunked;
    String method = route.method();
    if (hasBody || method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
      String type = ctx.header("Content-Type");
      if (!isJson(type)) {
        throw new HttpProblem(415, "unsupported-media-type", "Unsupported media type", method + " " + route.path()
            + " takes application/json in UTF-8, not " + (type == null ? "a request without Content-Type"
            : InvalidInputException.quote(type)) + "; send Content-Type: application/json");
      }
    }
    if (!hasBody) {
      return;
    }
    if (length > MAX_BODY_BYTES) {
      throw tooLarge();
    }
    String text = utf8(read(ctx));
    if (!route.takesBody() && !text.isBlank()) {
      ApiJson.read(text, ApiJson.NoBody.class); // {} is fine; any field is unknown here
    }
    ctx.attribute(BODY, text);
  }

  private static boolean isJson(@Nullable String contentType) {
    if (contentType == null) {
      return false;
    }
    String[] parts = contentType.toLowerCase(Locale.ROOT).split(";");
    if (!parts[0].strip().equals("application/json")) {
      return false;
    }
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i].strip();
      if (p.startsWith("charset=") && !p.replace("\"", "").equals("charset=utf-8")) {
        return false;
      }
    }
    return true;
  }

  /**
   * Reads at most one byte more than the limit, so that chunked framing cannot get round it, and
   * no slower than {@link #MIN_BYTES_PER_SECOND}. A client that goes silent is cut off by the
   * connection's read timeout (api.readTimeout).
   */
  private byte[] read(Context ctx) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    Instant first = null;
    try (InputStream in = ctx.req().getInputStream()) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        if (out.size() > MAX_BODY_BYTES) {
          throw tooLarge();
        }
        Instant now = clock.now();
        first = first == null ? now : first;
        long millis = Duration.between(first, now).toMillis();
        if (millis > RATE_GRACE.toMillis() && out.size() < MIN_BYTES_PER_SECOND * millis / 1000) {
          throw new HttpProblem(408, "request-timeout", "Request timeout", "the request body arrives slower than "
              + MIN_BYTES_PER_SECOND + " bytes per second (" + out.size() + " bytes in " + millis + " ms)");
        }
      }
    } catch (BadMessageException e) {
      // Jetty's verdict on the framing or the pace (408 when slower than the minimum data rate).
      int code = e.getCode() >= 400 && e.getCode() < 500 ? e.getCode() : 400;
      throw new HttpProblem(code, code == 408 ? "request-timeout" : "bad-request", code == 408 ? "Request timeout" : "Bad request",
          "the request body could not be read: " + e.getReason());
    } catch (IOException e) {
      throw new HttpProblem(408, "request-timeout", "Request timeout", "the request body did not arrive: " + e.getMessage());
    }
    return out.toByteArray();
  }

  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new InvalidInputException("body", "is not valid UTF-8", "send JSON encoded as UTF-8");
    }
  }

  /**
   * Runs before Javalin, which decodes the path to match routes and fails (a 500) on a broken
   * escape such as a lone '%' that Jetty lets through: such a path is a 400 here.
   */
  static final class PathEncodingFilter implements Filter {
    private static final Pattern BROKEN_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})");

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
      String uri = ((HttpServletRequest) req).getRequestURI();
      if (uri != null && BROKEN_ESCAPE.matcher(uri).find()) {
        HttpServletResponse r = (HttpServletResponse) res;
        r.setStatus(400);
        r.setContentType(Problems.CONTENT_TYPE);
        r.getOutputStream().write(Problems.json(400, "bad-request", "Bad request", "the path " + InvalidInputException.quote(uri)
            + " has a '%' that does not start an escape (%XX)", null).getBytes(StandardCharsets.UTF_8));
        return;
      }
      chain.doFilter(req, res);
    }
  }

  private static HttpProblem tooLarge() {
    return new HttpProblem(413, "payload-too-large", "Payload too large", "the request body is larger than "
        + MAX_BODY_BYTES + " bytes; no valid request is that large (see the limits in docs/security.md)");
  }
}
