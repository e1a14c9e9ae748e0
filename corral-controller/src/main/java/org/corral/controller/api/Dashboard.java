package org.corral.controller.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.corral.model.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * The web dashboard (docs/dashboard.md): static files from the jar, plain ES modules under
 * {@code /ui/}, the page itself at {@code /}, and uPlot from its webjar under {@code /ui/vendor/uplot/}.
 * Nothing here reads state or needs a token: the page holds no data, it calls the API (with the
 * user's token) like the CLI. The gate lets these paths through after its Host check
 * ({@link #serves}); every other path is the API's, and stays behind authentication.
 */
final class Dashboard {
  static final String PREFIX = "/ui/";
  private static final String UPLOT = PREFIX + "vendor/uplot/";
  /** The uPlot webjar's version, from the webjar's own pom.properties, so an upgrade is the pom's one line. */
  private static final String UPLOT_ROOT = "/META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/";
  private static final Pattern FILE = Pattern.compile("[a-zA-Z0-9_-]+([/.][a-zA-Z0-9_-]+)*\\.[a-z]+");
  private static final Map<String, String> TYPES = Map.of("html", "text/html;charset=utf-8", "js",
      "text/javascript;charset=utf-8", "css", "text/css;charset=utf-8", "svg", "image/svg+xml", "png", "image/png");
  /**
   * Scripts and styles from Corral only (no CDN, no inline script), no framing (clickjacking), and
   * connections only to Corral's own API.
   */
  private static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
      + " img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  /** Whether a request is for the dashboard's files rather than the API: GET or HEAD of / or /ui/... */
  static boolean serves(String method, String path) {
    return (method.equals("GET") || method.equals("HEAD")) && (path.equals("/") || path.startsWith(PREFIX));
  }

  void routes(Javalin a) {
    a.get("/", ctx -> send(ctx, "index.html", "/dashboard/index.html"));
    a.get(PREFIX + "<file>", ctx -> {
      String file = ctx.pathParam("file");
      if (!FILE.matcher(file).matches()) {
        throw notFound(ctx);
      }
      String resource = file.startsWith("vendor/uplot/") ? UPLOT_ROOT + file.substring("vendor/uplot/".length()) : "/dashboard/" + file;
      send(ctx, file, resource);
    });
  }

  private void send(Context ctx, String file, String resource) {
    String ext = file.substring(file.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    String type = TYPES.get(ext);
    byte[] body = type == null ? null : read(resource);
    if (type == null || body == null) {
      throw notFound(ctx);
    }
    ctx.header("Content-Security-Policy", POLICY);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    // The vendor library changes only with its version (in the path); the page's own files with Corral.
    ctx.header("Cache-Control", file.startsWith("vendor/") ? "public, max-age=86400" : "no-cache");
    ctx.contentType(type).result(body);
  }

  private byte @Nullable [] read(String resource) {
    byte[] cached = cache.get(resource);
    if (cached != null) {
      return cached;
    }
    try (InputStream in = Dashboard.class.getResourceAsStream(resource)) {
      if (in == null) {
        return null;
      }
      byte[] b = in.readAllBytes();
      cache.put(resource, b);
      return b;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static HttpProblem notFound(Context ctx) {
    return new HttpProblem(404, "not-found", "Not found", "the dashboard has no file " + InvalidInputException.quote(ctx.path()));
  }

  private static String uplotVersion() {
    try (InputStream in = Dashboard.class.getResourceAsStream("/META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
      java.util.Properties p = new java.util.Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "1.6.30");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
