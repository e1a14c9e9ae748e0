package org.corral.controller.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.corral.controller.ControllerSettings;
import org.corral.controller.GuardianSettings;
import org.corral.controller.command.VmRequest;
import org.corral.controller.config.ConfigReader;
import org.corral.controller.testing.LabHarness;
import org.corral.drivers.sim.SimLatencies;
import org.corral.model.InvalidInputException;
import org.corral.model.journal.EntryKind;
import org.corral.model.journal.JournalEntry;
import org.corral.model.journal.SubjectKind;
import org.corral.model.plan.Cause;
import org.corral.model.plan.Origin;
import org.corral.model.time.Clock;
import org.corral.model.time.VirtualClock;
import org.corral.model.vm.HaLevel;
import org.corral.model.vm.VmState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Notifications: which journal entries make one, webhooks (signed JSON to a listener on
 * 127.0.0.1, retried with backoff on virtual time), e-mail (an SMTP server in the test), a loop
 * that is never blocked, secrets never shown, and a crashed host told end to end.
 */
class NotifierTest {
  private static final byte[] KEY = "k3y-for-tests-only".getBytes(StandardCharsets.UTF_8);
  private static final Duration WAIT = Duration.ofSeconds(20);
  private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private static JournalEntry entry(SubjectKind sk, String from, String to, Origin origin) {
    return new JournalEntry(7, Instant.parse("2026-12-04T21:00:00Z"), EntryKind.STATE_CHANGED, sk, "node02", from, to, null,
        Cause.of(origin, 3, "x"), "host node02 failed (power confirmed off)");
  }

  @ParameterizedTest(name = "{0} {1} -> {2} by {3}: {4}")
  @CsvSource(nullValues = "-", value = {
      "HOST, SUSPECT,     DOWN,       MONITOR,  host.down",
      "HOST, FENCING,     DOWN,       EXECUTOR, host.fencing-failed",
      "HOST, FENCING,     FENCED,     EXECUTOR, host.fenced",
      "HOST, UP,          SUSPECT,    MONITOR,  -",
      "HOST, DOWN,        UP,         MONITOR,  -",
      "VM,   UNKNOWN,     RECOVERING, GUARDIAN, vm.recovering",
      "VM,   STOPPED,     BOOTING,    GUARDIAN, vm.recovering",
      "VM,   RECOVERING,  BOOTING,    GUARDIAN, -",
      "VM,   STOPPED,     BOOTING,    USER,     -",
      "VM,   UNKNOWN,     FAILED,     GUARDIAN, vm.given-up",
      "VM,   RUNNING,     FAILED,     MONITOR,  -",
  })
  void journalEntriesThatMakeANotification(SubjectKind sk, String from, String to, Origin origin, String event) {
    assertThat(Notification.of(entry(sk, from, to, origin)).map(Notification::event).orElse(null)).isEqualTo(event);
  }

  @Test
  void whatTheGuardianWaitsForIsAnEscalation() {
    JournalEntry note = new JournalEntry(9, Instant.EPOCH, EntryKind.GUARDIAN_NOTE, SubjectKind.CONTROLLER, "guardian", null, null,
        null, Cause.of(Origin.GUARDIAN, 1, "waiting"), "host node03 cannot be proven off: `corral host confirm-off node03`");
    assertThat(Notification.of(note)).get().extracting(Notification::event).isEqualTo(Notification.ESCALATION);
  }

  @org.junit.jupiter.params.ParameterizedTest
  @CsvSource({"ACTION_SUCCEEDED, host.soft-fenced", "ACTION_FAILED, host.soft-fencing-failed", "ACTION_STARTED, -"})
  void softFencingIsToldWithItsOutcome(EntryKind kind, String event) {
    JournalEntry e = new JournalEntry(9, Instant.EPOCH, kind, SubjectKind.HOST, "node03", null, null, "soft-fence/node03/4",
        Cause.of(Origin.GUARDIAN, 1, "host node03 is DOWN"), "restart the hypervisor of node03 (soft fencing)");
    assertThat(Notification.of(e).map(Notification::event).orElse(null)).isEqualTo("-".equals(event) ? null : event);
  }

  /** A local webhook listener: answers with the given statuses in turn (the last one after that), keeps what it received. */
  private record Received(Map<String, String> headers, byte[] body) {}

  private List<Received> listener(List<Received> got, int... statuses) throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    AtomicInteger call = new AtomicInteger();
    http.createContext("/hook", x -> {
      byte[] body = x.getRequestBody().readAllBytes();
      Map<String, String> h = new java.util.HashMap<>();
      x.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), v.getFirst()));
      h.put(":method", x.getRequestMethod());
      got.add(new Received(h, body));
      int status = statuses[Math.min(call.getAndIncrement(), statuses.length - 1)];
      x.sendResponseHeaders(status, -1);
      x.close();
    });
    http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    http.start();
    open.add(() -> http.stop(0));
    port = http.getAddress().getPort();
    return got;
  }

  private int port;

  private static String hmac(byte[] key, byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
  }

  /**
   * The tests below wait for {@code retried()} and then move the virtual clock by the backoff: the
   * retry's timer must be set by then, from the time the attempt failed. (Counted first, a worker
   * preempted between the count and the schedule would set it from the moved clock, and the test
   * would wait for a retry due later than it moves the clock.)
   */
  @Test
  void aRetryIsScheduledBeforeItIsCounted() {
    VirtualClock virtual = new VirtualClock();
    AtomicReference<Notifier> notifier = new AtomicReference<>();
    List<Long> countWhenScheduled = new CopyOnWriteArrayList<>();
    Clock clock = new Clock() {
      @Override public Instant now() { return virtual.now(); }
      @Override public Timer schedule(Duration delay, Runnable task) {
        countWhenScheduled.add(notifier.get().retried());
        return virtual.schedule(delay, task);
      }
      @Override public boolean inLoop() { return virtual.inLoop(); }
    };
    Channel refusing = new Channel() {
      @Override public String name() { return "refusing"; }
      @Override public Set<String> events() { return Set.of(); }
      @Override public void send(Notification n) throws IOException { throw new IOException("refused"); }
    };
    Notifier n = new Notifier(clock, List.of(refusing), new Notifier.Retry(3, Duration.ofSeconds(1), 10));
    notifier.set(n);
    open.add(n);
    n.publish(entry(SubjectKind.HOST, "SUSPECT", "DOWN", Origin.MONITOR));
    await().atMost(WAIT).until(() -> n.retried() == 1);
    virtual.advance(Duration.ofSeconds(1));
    await().atMost(WAIT).until(() -> n.retried() == 2);
    assertThat(countWhenScheduled).as("each retry's timer is set before it is counted").containsExactly(0L, 1L);
  }

  @Test
  void aWebhookGetsSignedJsonAndIsRetriedWithBackoff() throws Exception {
    List<Received> got = listener(new CopyOnWriteArrayList<>(), 500, 503, 204);
    VirtualClock clock = new VirtualClock();
    Webhook hook = new Webhook(URI.create("http://127.0.0.1:" + port + "/hook?token=abc"), KEY, Set.of(), Duration.ofSeconds(5));
    Notifier n = new Notifier(clock, List.of(hook), new Notifier.Retry(5, Duration.ofSeconds(2), 10));
    open.add(n);

    n.publish(entry(SubjectKind.HOST, "FENCING", "FENCED", Origin.EXECUTOR));
    await().atMost(WAIT).until(() -> n.retried() == 1);
    assertThat(n.recent()).singleElement().satisfies(d -> {
      assertThat(d.status()).isEqualTo(Notifier.Status.RETRYING);
      assertThat(d.attempts()).isEqualTo(1);
      assertThat(d.error()).contains("HTTP 500").doesNotContain("abc");
    });
    clock.advance(Duration.ofMillis(1999));
    assertThat(got).as("no retry before its backoff").hasSize(1);
    clock.advance(Duration.ofMillis(1));
    await().atMost(WAIT).until(() -> n.retried() == 2);
    clock.advance(Duration.ofSeconds(4)); // doubled
    await().atMost(WAIT).until(() -> n.sent() == 1);

    assertThat(got).hasSize(3);
    Received r = got.getLast();
    assertThat(r.headers()).containsEntry(":method", "POST").containsEntry("content-type", "application/json")
        .containsEntry("x-corral-event", "host.fenced").containsEntry("x-corral-delivery", "7");
    assertThat(r.headers().get("x-corral-signature-256")).as("HMAC-SHA256 of the exact body").isEqualTo(hmac(KEY, r.body()));
    JsonNode json = new ObjectMapper().readTree(r.body());
    assertThat(json.get("event").asText()).isEqualTo("host.fenced");
    assertThat(json.get("subject").asText()).isEqualTo("node02");
    assertThat(json.get("message").asText()).contains("power confirmed off");
    assertThat(json.get("seq").asLong()).isEqualTo(7);
    assertThat(hook.name()).as("a token in the URL stays out of logs").doesNotContain("abc").contains("127.0.0.1");
    // What the API's GET /notifications shows: the delivery, where it went (without the token), its attempts.
    assertThat(n.recent()).singleElement().satisfies(d -> {
      assertThat(d.seq()).isEqualTo(7);
      assertThat(d.event()).isEqualTo("host.fenced");
      assertThat(d.subject()).isEqualTo("node02");
      assertThat(d.channel()).isEqualTo("webhook");
      assertThat(d.target()).isEqualTo("http://127.0.0.1:" + port + "/hook");
      assertThat(d.status()).isEqualTo(Notifier.Status.SENT);
      assertThat(d.attempts()).isEqualTo(3);
      assertThat(d.at()).isEqualTo(clock.now());
      assertThat(d.error()).isNull();
    });
  }

  @Test
  void aDeliveryThatKeepsFailingIsGivenUpAfterItsAttempts() throws Exception {
    List<Received> got = listener(new CopyOnWriteArrayList<>(), 500);
    VirtualClock clock = new VirtualClock();
    Notifier n = new Notifier(clock, List.of(new Webhook(URI.create("http://127.0.0.1:" + port + "/hook"), KEY, Set.of(),
        Duration.ofSeconds(5))), new Notifier.Retry(3, Duration.ofSeconds(1), 10));
    open.add(n);
    n.publish(entry(SubjectKind.HOST, "SUSPECT", "DOWN", Origin.MONITOR));
    for (int attempt = 1; attempt < 3; attempt++) {
      int a = attempt;
      await().atMost(WAIT).until(() -> n.retried() == a);
      clock.advance(Duration.ofSeconds(1L << (attempt - 1)));
    }
    await().atMost(WAIT).until(() -> n.givenUp() == 1);
    assertThat(got).hasSize(3);
    assertThat(n.sent()).isZero();
    assertThat(n.recent()).singleElement().satisfies(d -> {
      assertThat(d.status()).isEqualTo(Notifier.Status.GIVEN_UP);
      assertThat(d.status().wire()).isEqualTo("given-up");
      assertThat(d.attempts()).isEqualTo(3);
    });
  }

  @Test
  void eMailGoesThroughSmtpToEveryAddressOnlyForTheEventsAskedFor() throws Exception {
    TinySmtpServer smtp = new TinySmtpServer(1); // the first session is refused: retried
    open.add(smtp);
    VirtualClock clock = new VirtualClock();
    SmtpMail mail = new SmtpMail(new SmtpMail.Server("127.0.0.1", smtp.port(), false, null, null), "corral@lab.test",
        List.of("ops@lab.test", "oncall@lab.test"), Set.of(Notification.VM_GIVEN_UP), Duration.ofSeconds(5));
    Notifier n = new Notifier(clock, List.of(mail), new Notifier.Retry(5, Duration.ofSeconds(2), 10));
    open.add(n);

    n.publish(entry(SubjectKind.HOST, "FENCING", "FENCED", Origin.EXECUTOR)); // not asked for
    JournalEntry failed = new JournalEntry(12, Instant.parse("2026-12-04T21:00:00Z"), EntryKind.STATE_CHANGED, SubjectKind.VM,
        "db", "UNKNOWN", "FAILED", null, Cause.of(Origin.GUARDIAN, 4, "cannot restart"),
        "its disk is on local storage\n.a line that starts with a dot");
    n.publish(failed);
    await().atMost(WAIT).until(() -> n.retried() == 1);
    clock.advance(Duration.ofSeconds(2));
    await().atMost(WAIT).until(() -> n.sent() == 1);

    assertThat(smtp.received).hasSize(1);
    TinySmtpServer.Mail m = smtp.received.getFirst();
    assertThat(m.from()).isEqualTo("corral@lab.test");
    assertThat(m.to()).containsExactly("ops@lab.test", "oncall@lab.test");
    assertThat(m.data()).contains("Subject: [corral] vm.given-up db").contains("its disk is on local storage")
        .contains("\n.a line that starts with a dot\n").contains("journal seq: 12");
  }

  @Test
  void publishingNeverBlocksTheLoopWhenAChannelHangs() {
    CountDownLatch release = new CountDownLatch(1);
    Channel stuck = new Channel() {
      @Override public String name() { return "stuck"; }
      @Override public Set<String> events() { return Set.of(); }
      @Override public void send(Notification n) throws InterruptedException { release.await(); }
    };
    Notifier n = new Notifier(new VirtualClock(), List.of(stuck), new Notifier.Retry(5, Duration.ofSeconds(1), 2));
    open.add(n);
    open.add(release::countDown);
    n.publish(entry(SubjectKind.HOST, "SUSPECT", "DOWN", Origin.MONITOR));
    await().atMost(WAIT).until(() -> n.waiting() == 0); // the worker holds the first one
    for (int i = 0; i < 10; i++) {
      n.publish(entry(SubjectKind.HOST, "SUSPECT", "DOWN", Origin.MONITOR)); // returns at once: queued or dropped
    }
    assertThat(n.waiting()).isEqualTo(2);
    assertThat(n.dropped()).isEqualTo(8);
  }

  private static final String WITH_CHANNELS = """
      guardian:
        notify:
          attempts: 4
          backoff: 500ms
          webhooks:
            - {url: "https://ops.example.com/hooks/corral", secretEnv: HOOK_KEY, events: [host.fenced, vm.given-up]}
          email: {server: "smtp.example.com:465", user: corral, passwordEnv: SMTP_PW, from: corral@example.com, to: [ops@example.com]}
      """;

  @Test
  void channelsAreReadFromCorralYamlAndTheirSecretsNeverShow() {
    var env = Map.of("HOOK_KEY", "hook-secret-value", "SMTP_PW", "smtp-secret-value");
    GuardianSettings g = ConfigReader.parse(WITH_CHANNELS, "t", env).controller().guardian();
    assertThat(g.channels()).hasSize(2);
    assertThat(g.retry()).isEqualTo(new Notifier.Retry(4, Duration.ofMillis(500), 1000));
    assertThat(g.channels().getFirst().events()).containsExactlyInAnyOrder("host.fenced", "vm.given-up");
    assertThat(g.channels().get(1).events()).isEmpty();
    assertThat(g.toString() + g.channels().stream().map(Channel::name).toList())
        .doesNotContain("hook-secret-value").doesNotContain("smtp-secret-value")
        .contains("ops.example.com").contains("smtps://corral@smtp.example.com:465");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "unknown event | guardian: {notify: {webhooks: [{url: 'https://h/x', secretEnv: K, events: [host.exploded]}]}} | guardian.notify.webhooks[0].events | host.fenced",
      "unsigned webhook | guardian: {notify: {webhooks: [{url: 'https://h/x'}]}} | guardian.notify.webhooks[0].secretEnv | HMAC",
      "not http | guardian: {notify: {webhooks: [{url: 'ftp://h/x', secretEnv: K}]}} | guardian.notify.webhooks[0].url | http(s)",
      "secret inline | guardian: {notify: {webhooks: [{url: 'https://h/x?token=abc', secretEnv: K}]}} | guardian.notify.webhooks[0].url | token",
      "unset variable | guardian: {notify: {webhooks: [{url: 'https://h/x', secretEnv: NOPE}]}} | guardian.notify.webhooks[0].secretEnv | NOPE is not set",
      "password in clear | guardian: {notify: {email: {server: 'm:25', tls: false, user: u, passwordEnv: K, from: a@b, to: [c@d]}}} | guardian.notify.email.tls | in clear",
      "no recipients | guardian: {notify: {email: {server: 'm:25', from: a@b}}} | guardian.notify.email.to | empty",
      "bad address | guardian: {notify: {email: {server: 'm:25', from: a@b, to: [nobody]}}} | guardian.notify.email.to | not an e-mail",
      "bad server | guardian: {notify: {email: {server: m, from: a@b, to: [c@d]}}} | guardian.notify.email.server | host:port",
      "no attempts | guardian: {notify: {attempts: 0}} | guardian.notify.attempts | at least 1",
  })
  void badChannelsAreRefusedNamingTheField(String what, String yaml, String field, String hint) {
    assertThatThrownBy(() -> ConfigReader.parse(yaml, "t", Map.of("K", "v")))
        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith(field + ":").hasMessageContaining(hint);
  }

  /** End to end: a crashed host's fencing and its VM's recovery reach a webhook on 127.0.0.1. */
  @Test
  void aCrashedHostsFencingAndRecoveryAreToldToTheWebhook() throws Exception {
    List<Received> got = listener(new CopyOnWriteArrayList<>(), 200);
    ControllerSettings base = LabHarness.fastSettings();
    GuardianSettings g = base.guardian();
    Webhook hook = new Webhook(URI.create("http://127.0.0.1:" + port + "/hook"), KEY, Set.of(), Duration.ofSeconds(5));
    LabHarness lab = new LabHarness(3, SimLatencies.INSTANT, base.withGuardian(new GuardianSettings(g.beat(), g.suspectAfter(),
        g.downAfter(), g.crashRestarts(), List.of(hook), g.retry())));
    lab.startWithInventory();
    open.add(lab.controller);
    lab.cmd().createVm(new VmRequest("db", 1, 2048L, null, null, null, null, null, null, null, HaLevel.HIGH, null, null, null, null), "t");
    lab.untilVm("db", VmState.RUNNING, Duration.ofMinutes(2));
    String failed = lab.vm("db").host();
    lab.dc.crashHost(failed);
    lab.until("db running elsewhere", () -> lab.vm("db").state() == VmState.RUNNING && !failed.equals(lab.vm("db").host()),
        Duration.ofMinutes(2));
    // Other notifications (an escalation) may come in between: wait for these three, in this order.
    await().atMost(WAIT).untilAsserted(() -> assertThat(got.stream().map(r -> r.headers().get("x-corral-event") + " " + subject(r)).toList())
        .containsSubsequence("host.down " + failed, "host.fenced " + failed, "vm.recovering db"));
    for (Received r : got) {
      assertThat(r.headers().get("x-corral-signature-256")).isEqualTo(hmac(KEY, r.body()));
    }
  }

  private static String subject(Received r) {
    try {
      return new ObjectMapper().readTree(r.body()).get("subject").asText();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
