package org.corral.controller.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22: the journal stream under load. Several clients read as fast as entries come; one
 * client never reads (its socket's buffers fill, then its queue). The slow one is dropped with a
 * {@code dropped} event that says where to resume; every other client gets every entry, in
 * order, none twice; and the dropped client resumes from the store with its Last-Event-ID.
 * (The read timeout is long here: a client whose socket stays full for a whole read timeout is
 * closed by Jetty before it could be told why.)
 */
class EventStreamBackPressureTest {
  static final int BACKLOG = 2000;
  static final int PER_REQUEST = 250;
  static final int REQUESTS = 80; // 20,000 entries: more than the slow socket's buffers and its queue hold

  @TempDir
  Path home;

  @Test
  void aSlowClientIsDroppedWithAMessageAndSlowsNoOne() throws Exception {
    try (RunningCorral corral = new RunningCorral(home, "{listen: \"127.0.0.1:0\", readTimeout: 10m, eventBacklog: " + BACKLOG + "}")) {
      long start = corral.lastSeq();
      URI stream = corral.api.uri("/api/v1/events/stream?after=" + start);
      List<EventStreamReader> fast = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        fast.add(new EventStreamReader(stream, null));
      }
      try (Socket slow = new Socket()) {
        slow.setReceiveBufferSize(4096);
        slow.connect(new InetSocketAddress("127.0.0.1", corral.runtime.port()));
        OutputStream out = slow.getOutputStream();
        out.write((TestTokens.authorize(corral.runtime.port(), "GET /api/v1/events/stream?after=" + start
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream") + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        for (EventStreamReader r : fast) {
          assertThat(r.response().statusCode()).isEqualTo(200);
        }

        for (int q = 0; q < REQUESTS; q++) {
          StringJoiner j = new StringJoiner(",", "[", "]");
          for (int i = 0; i < PER_REQUEST; i++) {
            j.add("{\"name\": \"bp-" + q + "-" + i + "\", \"cpus\": 1, \"memoryMib\": 64, \"hold\": true}");
          }
          ApiClient.Reply r = corral.api.post("/api/v1/vms", j.toString());
          assertThat(r.status()).as(r.toString()).isEqualTo(201);
        }
        long last = corral.lastSeq();
        assertThat(last - start).isGreaterThanOrEqualTo((long) REQUESTS * PER_REQUEST);

        // Every fast client gets every entry, in order, once.
        for (EventStreamReader r : fast) {
          RunningCorral.eventually().atMost(Duration.ofSeconds(60)).until(() -> r.lastId() >= last);
        }
        for (EventStreamReader r : fast) {
          List<Long> ids = r.ids();
          assertThat(ids).as("no gap, no repeat").hasSize((int) (last - start)).isSorted().doesNotHaveDuplicates();
          assertThat(r.events()).noneMatch(e -> e.name().equals("dropped"));
        }

        // The slow client, read at last: what its buffers held, then the reason it was dropped.
        String text = readAll(slow.getInputStream());
        assertThat(text).contains("event: dropped").contains("fell " + BACKLOG + " entries behind")
            .contains("resume with Last-Event-ID");
        int at = text.lastIndexOf("event: dropped");
        String block = text.substring(text.lastIndexOf("\n\n", at) + 2);
        long resumeFrom = Long.parseLong(block.lines().filter(l -> l.startsWith("id:")).findFirst().orElseThrow().substring(3).trim());
        assertThat(resumeFrom).isLessThan(last - BACKLOG);

        // Resuming with that id replays the rest from the store.
        try (EventStreamReader again = new EventStreamReader(stream, Long.toString(resumeFrom))) {
          RunningCorral.eventually().atMost(Duration.ofSeconds(60)).until(() -> again.lastId() >= last);
          assertThat(again.ids()).first().isEqualTo(resumeFrom + 1);
        }
      } finally {
        for (EventStreamReader r : fast) {
          r.close();
        }
      }
    }
  }

  /** Reads until the dropped event's block is complete, or the server closes the connection. */
  private static String readAll(InputStream in) throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    byte[] buf = new byte[65536];
    String previous = "";
    int n;
    while ((n = in.read(buf)) >= 0) {
      b.write(buf, 0, n);
      // Only the newest bytes can hold the end: this chunk and the one before it.
      String chunk = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
      String tail = previous + chunk;
      int at = tail.lastIndexOf("event: dropped");
      if (at >= 0 && tail.substring(at).contains("\n\n")) {
        break;
      }
      previous = chunk;
    }
    return b.toString(StandardCharsets.UTF_8);
  }
}
