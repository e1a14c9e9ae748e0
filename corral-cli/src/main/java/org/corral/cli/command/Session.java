package org.corral.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Map;
import org.corral.cli.api.CorralApi;
import org.corral.cli.api.Json;
import org.corral.cli.render.Output;
import org.corral.cli.render.Units;
import org.corral.model.time.Clock;
import org.jspecify.annotations.Nullable;

/**
 * What one run of {@code corral} shares: its output streams, the environment it was given, the
 * global options, the clock that paces {@code --wait}, and the API client (opened on first use,
 * so that {@code --help} and {@code up} never touch the network).
 */
public final class Session implements AutoCloseable {
  public static final String DEFAULT_API = "http://localhost:7070";

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;
  private final Clock clock;
  private final Globals globals;
  private @Nullable CorralApi api;

  public Session(PrintStream out, PrintStream err, Map<String, String> env, Clock clock, Globals globals) {
    this.out = out;
    this.err = err;
    this.env = Map.copyOf(env);
    this.clock = clock;
    this.globals = globals;
  }

  public PrintStream out() {
    return out;
  }

  public PrintStream err() {
    return err;
  }

  /** An environment variable, or null when unset or blank. */
  public @Nullable String env(String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v;
  }

  public Clock clock() {
    return clock;
  }

  /** Where the API is: --api, else CORRAL_API, else http://localhost:7070. */
  public String apiUrl() {
    if (globals.api() != null) {
      return globals.api();
    }
    String fromEnv = env("CORRAL_API");
    return fromEnv != null ? fromEnv : DEFAULT_API;
  }

  public CorralApi api() {
    if (api == null) {
      String url = apiUrl();
      api = new CorralApi(url, Credentials.token(this, url));
    }
    return api;
  }

  /** A client that sends no token, for `corral login` (a stale stored token must not get in its way). */
  public CorralApi anonymousApi() {
    return new CorralApi(apiUrl(), null);
  }

  public boolean json() {
    return globals.output() == Output.JSON;
  }

  /** Times are shown in TZ when it names a zone, else in the JVM's default zone. */
  public ZoneId zone() {
    String tz = env("TZ");
    if (tz != null) {
      try {
        return ZoneId.of(tz.startsWith(":") ? tz.substring(1) : tz);
      } catch (DateTimeException notAZoneId) {
        // POSIX forms such as "CET-1" are not zone ids; the JVM default already reflects them.
      }
    }
    return ZoneId.systemDefault();
  }

  public @Nullable String time(@Nullable String isoInstant) {
    return Units.time(isoInstant, zone());
  }

  /** Prints the API's JSON pretty; prints nothing for an empty answer (204). */
  public void printJson(@Nullable JsonNode node) {
    if (node != null && !node.isMissingNode()) {
      out.println(Json.pretty(node));
    }
  }

  /**
   * What a read prints: the API's JSON in JSON mode, else {@code text} (rendered only when
   * needed). The one place that makes that choice for list and show commands.
   */
  public void show(JsonNode node, java.util.function.Supplier<String> text) {
    if (json()) {
      printJson(node);
    } else {
      print(text.get());
    }
  }

  /** Text for people: printed as is in table mode (it ends in a newline). */
  public void print(String text) {
    out.print(text);
    out.flush();
  }

  /** After a change: the API's answer in JSON mode, else one line saying what happened. */
  public void report(JsonNode answer, String sentence) {
    if (json()) {
      printJson(answer);
    } else {
      out.println(sentence);
    }
  }

  @Override
  public void close() {
    if (api != null) {
      api.close();
    }
  }
}
