package org.corral.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.corral.cli.Bodies.json;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventsCommandTest {
  /** Two journal entries as the controller streams them, with a keep-alive comment between. */
  private static final String STREAM = "event: journal\nid: 41\ndata: " + oneLine(Fixtures.EVENT_1) + "\n\n"
      + ": keep-alive\n\n"
      + "event: journal\nid: 42\ndata: " + oneLine(Fixtures.EVENT_2) + "\n\n";

  private final FakeCorral api = FakeCorral.start();

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void pageShowsTheJournalAsATable() {
    api.on("GET", "/events?after=40&limit=2&subject=web1", 200, "[" + Fixtures.EVENT_1 + "]");
    api.on("GET", "/events?last=100", 200, "[" + Fixtures.EVENT_1 + "," + Fixtures.EVENT_2 + "]");

    Run filtered = Run.corral(api, "events", "--after", "40", "--limit", "2", "--subject", "web1", "-o", "json");
    assertThat(filtered.code()).as(filtered.err()).isZero();
    assertThat(json(filtered.out())).isEqualTo(json("[" + Fixtures.EVENT_1 + "]"));

    Run all = Run.corral(api, "events");
    assertThat(all.out()).isEqualTo("""
        SEQ  TIME                 KIND           SUBJECT     FROM->TO               ORIGIN     REASON/MESSAGE
        41   2026-01-01T00:05:00  STATE_CHANGED  vm/web1     PENDING->PROVISIONING  SCHEDULER  placed: placed on node1 (packing)
        42   2026-01-01T00:05:30  ACTION_FAILED  host/node2  -                      OPTIMIZER  consolidation: BMC did not answer
        """);
  }

  @Test
  void followPrintsEachStreamedEntryUntilTheServerCloses() {
    api.onStream("/events/stream", STREAM);

    Run r = Run.corral(api, "events", "--follow");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(api.last().accept()).isEqualTo("text/event-stream");
    assertThat(r.out().lines().toList()).containsExactly(
        "SEQ     TIME                 KIND              SUBJECT           FROM->TO                  ORIGIN      REASON/MESSAGE",
        "41      2026-01-01T00:05:00  STATE_CHANGED     vm/web1           PENDING->PROVISIONING     SCHEDULER   placed: placed on node1 (packing)",
        "42      2026-01-01T00:05:30  ACTION_FAILED     host/node2        -                         OPTIMIZER   consolidation: BMC did not answer");
    assertThat(r.err()).isEqualTo("the event stream was closed by Corral\n");
  }

  @Test
  void followPrintsAnEntryWhileTheStreamIsStillOpen() throws Exception {
    CountDownLatch secondMaySend = new CountDownLatch(1);
    api.onLiveStream("/events/stream", "event: journal\nid: 41\ndata: " + oneLine(Fixtures.EVENT_1) + "\n\n",
        secondMaySend, "event: journal\nid: 42\ndata: " + oneLine(Fixtures.EVENT_2) + "\n\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream errStream = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    CompletableFuture<Integer> run = CompletableFuture.supplyAsync(
        () -> Main.run(new String[] {"events", "--follow", "-o", "json"}, outStream, errStream, Run.env(api)));

    // The first entry shows up before the server has sent the second.
    await().atMost(Duration.ofSeconds(20)).until(() -> out.toString(StandardCharsets.UTF_8).contains("\"seq\":41"));
    assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("\"seq\":42");
    secondMaySend.countDown();
    assertThat(run.get(20, TimeUnit.SECONDS)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8).lines().toList()).hasSize(2);
  }

  @Test
  void followInJsonPrintsOneEntryPerLineAndFiltersBySubject() {
    api.onStream("/events/stream?after=40", STREAM);

    Run r = Run.corral(api, "events", "--follow", "--after", "40", "--subject", "node2", "-o", "json");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().lines().toList()).hasSize(1);
    assertThat(json(r.out())).isEqualTo(json(Fixtures.EVENT_2));
  }

  @Test
  void actionsListWithStatusFilter() {
    api.on("GET", "/actions?status=RUNNING", 200, Fixtures.ACTIONS);

    Run r = Run.corral(api, "actions", "--status", "running");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("""
        KEY             VERB     SUBJECT  STATUS   ATTEMPTS  UPDATED              ORIGIN     ERROR
        migrate-web1-4  MIGRATE  web1     RUNNING  1         2026-01-01T00:07:01  OPTIMIZER  -
        """);
    assertThat(json(Run.corral(api, "actions", "--status", "RUNNING", "-o", "json").out())).isEqualTo(json(Fixtures.ACTIONS));
  }

  private static String oneLine(String json) {
    return json.replace("\n", " ").strip();
  }
}
