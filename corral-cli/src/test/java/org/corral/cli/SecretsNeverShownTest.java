package org.corral.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.corral.controller.boot.CorralRuntime;
import org.corral.controller.boot.CorralServer;
import org.corral.controller.config.ConfigReader;
import org.corral.model.time.SystemClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 26 item 1: known secrets planted through every route that takes a URI (the API, the CLI,
 * corral.yaml's host, power and database URIs, --database) never come back out: not in an answer,
 * an error, an event, the event stream, a metric, the health document, a CLI table or JSON, a
 * message on stderr, or a log line. Corral refuses them (docs/security.md), and says where the
 * secret belongs instead.
 */
class SecretsNeverShownTest {
  /** Every planted secret contains this; no output may. */
  private static final String MARK = "Zq9Secret";
  private static final String CONFIG = """
      controller: {monitorPeriod: 200ms, schedulerPeriod: 200ms}
      api: {listen: "127.0.0.1:0"}
      lab:
        name: sec
        stateFile: false
        hosts:
          - {prefix: node, count: 2, cores: 8, mhz: 2600, memoryMib: 16384}
      """;

  @TempDir
  Path dir;
  private final List<String> outputs = new ArrayList<>();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);

  @BeforeEach
  void captureLogs() {
    logs.start();
    root.addAppender(logs);
  }

  @AfterEach
  void releaseLogs() {
    root.detachAppender(logs);
  }

  @Test
  void secretsPlantedThroughCorralYamlAndDatabaseUrlsAreRefusedUnseen() throws Exception {
    String[][] yamls = {
        {"hosts[0].uri", "hosts: [{name: h1, uri: 'qemu+ssh://root:" + MARK + "1@10.0.0.99/system'}]"},
        {"hosts[0].power.on", "hosts: [{name: h1, uri: 'test:///default', power: {on: 'ipmi://admin:" + MARK + "2@10.0.0.11'}}]"},
        {"hosts[0].power.off", "hosts: [{name: h1, uri: 'test:///default', power: {off: 'ipmi://admin@10.0.0.11?password=" + MARK + "3'}}]"},
        {"store.url", "store: {url: 'jdbc:postgresql://corral:" + MARK + "4@127.0.0.1:1/corral'}"},
        {"store.url", "store: {url: 'jdbc:postgresql://127.0.0.1:1/corral?password=" + MARK + "5'}"}};
    for (String[] y : yamls) {
      // A store on a closed loopback port: no version of Corral can get past start-up with this
      // file, so a regression fails here rather than running a server that dials 10.0.0.99.
      String yaml = y[0].startsWith("store") ? y[1] : y[1] + "\nstore: {url: 'jdbc:postgresql://127.0.0.1:1/corral'}";
      Path config = Files.writeString(dir.resolve("corral-" + outputs.size() + ".yaml"), yaml);
      Run up = up("up", "--config", config.toString(), "--home", dir.resolve("home").toString(), "--listen", "127.0.0.1:0");
      assertThat(up.code()).as(y[0] + ": " + up.err()).isEqualTo(5);
      assertThat(up.err()).as(y[0]).contains(y[0]).contains("passwordFile");
    }
    Run database = up("up", "--home", dir.resolve("home").toString(), "--listen", "127.0.0.1:0",
        "--database", "jdbc:postgresql://corral:" + MARK + "6@127.0.0.1:1/corral");
    assertThat(database.code()).as(database.err()).isEqualTo(5);
    assertThat(database.err()).contains("--database");
    Run notJdbc = up("up", "--home", dir.resolve("home").toString(), "--database", "postgres://corral:" + MARK + "15@db/corral");
    assertThat(notJdbc.code()).as(notJdbc.err()).isEqualTo(2);
    assertNothingShows();
  }

  @Test
  void secretsPlantedThroughTheApiAndTheCliAreRefusedUnseen() throws Exception {
    SystemClock clock = new SystemClock("secrets");
    try (CorralRuntime corral = CorralRuntime.start(ConfigReader.parse(CONFIG, "test", Map.of()), dir, clock, d -> {});
        HttpClient http = HttpClient.newHttpClient()) {
      String base = "http://127.0.0.1:" + corral.port() + "/api/v1";
      Map<String, String> env = new HashMap<>(Map.of("CORRAL_API", "http://127.0.0.1:" + corral.port(), "TZ", "UTC",
          "CORRAL_HOME", dir.toString()));
      // The event stream is open while secrets are planted, and read until an entry made after them.
      StringBuffer streamed = new StringBuffer();
      HttpResponse<Stream<String>> sse = http.send(authorized(URI.create(base + "/events/stream"))
          .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
      CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> sse.body().forEach(l -> streamed.append(l).append('\n')));
      try {
        plantAndRead(http, corral.port(), env, streamed);
      } finally {
        // HttpClient.close() waits for open exchanges: hang up the stream first, also when an assertion failed.
        reader.cancel(true);
        sse.body().close();
      }
    } finally {
      clock.close();
    }
    assertNothingShows();
  }

  /** Plants secrets through the API and the CLI, then reads every surface, the open stream last. */
  private void plantAndRead(HttpClient http, int port, Map<String, String> env, StringBuffer streamed) throws Exception {
    String base = "http://127.0.0.1:" + port + "/api/v1";
    String[] bodies = {
        "{\"name\": \"h1\", \"uri\": \"qemu+ssh://root:" + MARK + "7@10.0.0.99/system\"}",
        "{\"name\": \"h2\", \"uri\": \"sim://sec/node01?password=" + MARK + "8\"}",
        "{\"name\": \"h3\", \"uri\": \"sim://sec/h3\", \"capacity\": {\"cores\": 1, \"mhzPerCore\": 1, \"memoryMib\": 1},"
            + " \"power\": {\"on\": \"ipmi://admin:" + MARK + "9@10.0.0.11?password=" + MARK + "10\"}}",
        "{\"name\": \"h4\", \"uri\": \"sim://sec/h4\", \"capacity\": {\"cores\": 1, \"mhzPerCore\": 1, \"memoryMib\": 1},"
            + " \"power\": {\"on\": \"sim://sec/h4\", \"off\": \"ssh://root@h4?token=" + MARK + "11\"}}"};
    for (String body : bodies) {
      HttpResponse<String> r = http.send(authorized(URI.create(base + "/hosts")).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
      assertThat(r.body()).contains("passwordFile");
      outputs.add(r.body());
    }
    Run cli = record(Run.with(env, "host", "add", "h5", "--uri", "qemu+ssh://root:" + MARK + "12@10.0.0.98/system",
        "--power", "ipmi://admin@10.0.0.12?password=" + MARK + "13"));
    assertThat(cli.code()).as(cli.err()).isEqualTo(5);
    Run cliPower = record(Run.with(env, "host", "add", "h6", "--uri", "sim://sec/h6", "--cores", "1", "--mhz", "1", "--memory", "1",
        "--power", "sim://sec/h6", "--power-off", "ipmi://admin:" + MARK + "14@10.0.0.13"));
    assertThat(cliPower.code()).as(cliPower.err()).isEqualTo(5);

    // Every surface: API reads, the event stream, metrics, health, and the CLI's tables and JSON.
    for (String path : new String[] {"/hosts", "/hosts/node01", "/vms", "/events?limit=10000", "/actions", "/health"}) {
      outputs.add(http.send(authorized(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString()).body());
    }
    outputs.add(http.send(authorized(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    Run mark = record(Run.with(env, "host", "maintenance", "node02", "--on"));
    assertThat(mark.code()).as(mark.err()).isZero();
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> streamed.toString().contains("maintenance requested"));
    outputs.add(streamed.toString());
    for (String[] args : new String[][] {{"host", "list"}, {"host", "list", "-o", "json"}, {"host", "show", "node01"},
        {"events"}, {"events", "-o", "json"}, {"vm", "list"}, {"status"}}) {
      Run r = record(Run.with(env, args));
      assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isZero();
    }
    for (String h : new String[] {"h1", "h2", "h3", "h4", "h5", "h6"}) {
      assertThat(http.send(authorized(URI.create(base + "/hosts/" + h)).build(), HttpResponse.BodyHandlers.discarding())
          .statusCode()).as("host " + h + " was not added").isEqualTo(404);
    }
  }

  /** A request with the admin token `corral up` wrote (the token is a secret too: it must not show either). */
  private HttpRequest.Builder authorized(URI uri) {
    return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + adminToken());
  }

  private String adminToken() {
    try {
      return Files.readString(dir.resolve("admin.token")).strip();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** {@code corral up ...} with the real launcher, stderr captured (the server prints there). */
  private Run up(String... args) {
    PrintStream err = System.err;
    PrintStream out = System.out;
    ByteArrayOutputStream serverErr = new ByteArrayOutputStream();
    ByteArrayOutputStream serverOut = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(serverErr, true, StandardCharsets.UTF_8));
      System.setOut(new PrintStream(serverOut, true, StandardCharsets.UTF_8));
      Run r = Run.with(new Main(new ControllerLauncher()), new AutoAdvancingClock(), Map.of(), args);
      return record(new Run(r.code(), r.out() + serverOut.toString(StandardCharsets.UTF_8),
          r.err() + serverErr.toString(StandardCharsets.UTF_8)));
    } finally {
      System.setErr(err);
      System.setOut(out);
    }
  }

  private Run record(Run r) {
    outputs.add(r.out());
    outputs.add(r.err());
    return r;
  }

  private void assertNothingShows() {
    for (ILoggingEvent e : logs.list) {
      outputs.add(e.getFormattedMessage());
      for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
        outputs.add(t.getMessage());
      }
    }
    assertThat(outputs).as("outputs checked").hasSizeGreaterThan(8);
    String token = Files.isRegularFile(dir.resolve("admin.token")) ? adminToken() : null;
    for (String o : outputs) {
      assertThat(o == null ? "" : o).doesNotContain(MARK);
      if (token != null) {
        assertThat(o == null ? "" : o).as("the admin token").doesNotContain(token.substring(token.lastIndexOf('_') + 1));
      }
    }
  }
}
