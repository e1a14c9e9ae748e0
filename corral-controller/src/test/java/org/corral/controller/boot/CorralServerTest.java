package org.corral.controller.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import org.corral.controller.api.TestTokens;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `corral up` as a user meets it: the banner, a working API, a clean stop, and errors with exit code 5. */
class CorralServerTest {
  private static final String SMALL_LAB = """
      controller: {monitorPeriod: 200ms, schedulerPeriod: 200ms}
      api: {listen: "%s"}
      ec2: {listen: "127.0.0.1:0"}
      lab:
        name: s
        stateFile: false
        hosts: [{prefix: s, count: 2, cores: 4, memoryMib: 8192}]
      """;
  private static final Pattern API_URL = Pattern.compile("API\\s+(http://\\S+)/api/v1\\s");

  @TempDir
  Path dir;

  /** One run of the server on its own thread, its output captured. */
  private final class Run {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final CountDownLatch stop = new CountDownLatch(1);
    final CompletableFuture<Integer> exit = new CompletableFuture<>();

    Run(String listenInConfig, String listenOverride, String database) throws IOException {
      Path config = dir.resolve("corral.yaml");
      Files.writeString(config, SMALL_LAB.formatted(listenInConfig));
      PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
      PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
      Thread.ofPlatform().name("corral-up").start(() -> {
        try {
          exit.complete(CorralServer.run(config, dir.resolve("home"), listenOverride, database, Map.of(), o, e, stop));
        } catch (Throwable t) {
          exit.completeExceptionally(t);
        }
      });
    }

    String out() {
      return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
      return err.toString(StandardCharsets.UTF_8);
    }

    int exitCode() throws Exception {
      return exit.get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void startsPrintsWhatToTryAnswersAndStopsCleanly() throws Exception {
    Run run = new Run("127.0.0.1:0", null, null);
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> run.exit.isDone() || API_URL.matcher(run.out()).find());
    Matcher m = API_URL.matcher(run.out());
    assertThat(m.find()).as("banner with the API URL; out: " + run.out() + "\nerr: " + run.err()).isTrue();
    URI health = URI.create(m.group(1) + "/api/v1/health");
    assertThat(health.getPort()).as("the banner shows the port actually bound, not 0").isPositive();

    try (HttpClient http = HttpClient.newHttpClient()) {
      assertThat(http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
          .as("no token").isEqualTo(401);
      assertThat(run.out()).contains("admin    user 'admin' created; its token is in");
      HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(m.group(1) + "/")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).as("the dashboard, without a token").isEqualTo(200);
      assertThat(page.body()).contains("/ui/app.js");
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(health)
          .header("Authorization", "Bearer " + TestTokens.admin(dir.resolve("home"))).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("\"status\":\"UP\"").contains("\"hosts\":2");

      assertThat(run.out())
          .contains("Corral is up (" + dir.resolve("corral.yaml") + ")")
          .contains("OpenAPI: " + m.group(1) + "/api/v1/openapi.json")
          .contains("web      " + m.group(1) + "/   (the dashboard: docs/dashboard.md)")
          .contains("lab      2 simulated hosts (sim://s/...)")
          .containsPattern("EC2      http://127\\.0\\.0\\.1:\\d+   \\(region corral-1; keys: corral keys create")
          .contains("Try, in another shell:")
          .contains("./corral host list")
          .contains("./corral vm create web1 --cpus 2 --memory 2048")
          .contains("Stop with Ctrl-C.");

      run.stop.countDown();
      assertThat(run.exitCode()).isZero();
      assertThat(run.out()).endsWith("Corral stopped." + System.lineSeparator());
      assertThat(run.err()).isEmpty();
      assertThat(refused(http, health)).as("the API is closed after the stop").isTrue();
    }
  }

  private static boolean refused(HttpClient http, URI uri) throws InterruptedException {
    try {
      http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (IOException e) {
      return e.getCause() instanceof ConnectException;
    }
  }

  @Test
  void configurationErrorExitsFiveNamingTheField() throws Exception {
    Path config = dir.resolve("bad.yaml");
    Files.writeString(config, "guardian: {downAfter: three}\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = CorralServer.run(config, dir.resolve("home"), null, null, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), new CountDownLatch(1));
    assertThat(code).isEqualTo(5);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("error: guardian.downAfter: must be a whole number");
    assertThat(out.size()).isZero();
  }

  @Test
  void badCommandLineOverridesExitFive() throws Exception {
    Path config = dir.resolve("corral.yaml");
    Files.writeString(config, SMALL_LAB.formatted("127.0.0.1:0"));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    PrintStream o = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    assertThat(CorralServer.run(config, dir.resolve("home"), "localhost", null, Map.of(), o, e, new CountDownLatch(1))).isEqualTo(5);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("error: --listen: 'localhost' is not host:port");
    err.reset();
    assertThat(CorralServer.run(config, dir.resolve("home"), "127.0.0.1:70000", null, Map.of(), o, e, new CountDownLatch(1))).isEqualTo(5);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("error: --listen: port 70000 in '127.0.0.1:70000' is above 65535");
    err.reset();
    assertThat(CorralServer.run(config, dir.resolve("home"), null, "mysql://db/corral", Map.of(), o, e, new CountDownLatch(1))).isEqualTo(5);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("error: --database: 'mysql://db/corral' is not");
  }

  @Test
  void portInUseExitsFiveNamingApiListenAndLeavesNothingBehind() throws Exception {
    Set<Thread> before = serverThreads();
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String listen = "127.0.0.1:" + taken.getLocalPort();
      Run busy = new Run(listen, null, null);
      assertThat(busy.exitCode()).as("err: " + busy.err()).isEqualTo(5);
      assertThat(busy.err()).startsWith("error: api.listen: cannot listen on " + listen);
      assertThat(busy.err()).contains("choose another with --listen");
      assertThat(busy.out()).doesNotContain("Corral is up");
    }
    // An executor is terminated a moment before its last thread has exited: wait (bounded) for that.
    await("Jetty and loop threads of the failed start are gone").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
        .until(() -> {
          Set<Thread> left = serverThreads();
          left.removeAll(before);
          return left.isEmpty();
        });
    // The failed start released the home (the H2 file lock): the next start in it works.
    Run next = new Run("127.0.0.1:0", null, null);
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> next.exit.isDone() || next.out().contains("Corral is up"));
    next.stop.countDown();
    assertThat(next.exitCode()).as("err: " + next.err()).isZero();
  }

  /** Threads a running server owns: Jetty's schedulers and housekeeper, the controller's loop. */
  private static Set<Thread> serverThreads() {
    Set<Thread> out = new HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      String n = t.getName();
      if (t.isAlive() && (n.startsWith("Connector-Scheduler") || n.startsWith("Scheduler-") || n.startsWith("Session-HouseKeeper")
          || n.startsWith("corral-loop"))) {
        out.add(t);
      }
    }
    return out;
  }

  @Test
  void sigtermStopsCorralCleanlyBeforeTheProcessEnds() throws Exception {
    Path config = dir.resolve("corral.yaml");
    Files.writeString(config, SMALL_LAB.formatted("127.0.0.1:0"));
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), CorralUpChild.class.getName(),
        config.toString(), dir.resolve("home").toString())).redirectErrorStream(true).start();
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader = Thread.ofVirtual().start(() -> new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8)).lines().forEach(lines::add));
    try {
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
          .until(() -> !child.isAlive() || lines.contains("Stop with Ctrl-C."));
      assertThat(lines).as("child output").contains("Stop with Ctrl-C.");
      // SIGTERM, as Ctrl-C or systemd's stop would send. Through the ProcessHandle: Process.destroy()
      // would also close our end of the child's stdout, and we would not see what it prints last.
      assertThat(child.toHandle().destroy()).isTrue();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("child ends after SIGTERM").isTrue();
      reader.join(Duration.ofSeconds(5));
      assertThat(lines).as("the shutdown hook waits until the API, loops and store are closed").contains("Corral stopped.");
    } finally {
      child.destroyForcibly();
    }
  }

  /** Issue 15 part 6: corral.yaml's api.listen was ignored because --listen always had a value. */
  @Test
  void theListenAddressComesFromTheFlagThenTheEnvironmentThenTheFile() {
    String file = "127.0.0.1:7272";
    assertThat(CorralServer.listenAddress(null, Map.of(), file)).isEqualTo(file);
    assertThat(CorralServer.listenAddress(null, Map.of("CORRAL_LISTEN", "127.0.0.1:7373"), file)).isEqualTo("127.0.0.1:7373");
    assertThat(CorralServer.listenAddress("127.0.0.1:7474", Map.of("CORRAL_LISTEN", "127.0.0.1:7373"), file)).isEqualTo("127.0.0.1:7474");
    assertThatThrownBy(() -> CorralServer.listenAddress(null, Map.of("CORRAL_LISTEN", "7070"), file))
        .isInstanceOf(org.corral.model.InvalidInputException.class).hasMessageContaining("CORRAL_LISTEN");
  }
}
