package org.corral.controller.api;

import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.corral.controller.state.ControllerState;
import org.corral.model.journal.JournalEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal as server-sent events. A new client first gets what it missed (after its
 * Last-Event-ID or ?after=), then every new entry.
 *
 * <p>Back-pressure: each client has its own bounded queue and its own (virtual) thread that
 * writes to it. The controller's loop only offers each new entry to each queue, which never
 * blocks; a client that falls a whole queue behind is dropped: it gets a last {@code dropped}
 * event saying so and where to resume (an EventSource reconnects by itself with its
 * Last-Event-ID and is replayed from the store), and the others never wait for it.
 */
final class EventStream implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
  /** Entries a client may fall behind before it is dropped. */
  static final int DEFAULT_BACKLOG = 10_000;
  /** A comment line this often keeps idle connections (and proxies) from timing out. */
  static final Duration HEARTBEAT = Duration.ofSeconds(15);
  /** Entries read from the store at a time while a client catches up. */
  private static final int REPLAY_PAGE = 1000;
  private static final String AFTER = "corral.after";
  private static final String VISIBLE = "corral.visible";

  private final ControllerState state;
  private final int backlog;
  private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
  private final Consumer<JournalEntry> listener = this::broadcast;
  private final SseHandler sse = new SseHandler(this::attach);
  private final AtomicLong ids = new AtomicLong();

  EventStream(ControllerState state, int backlog) {
    if (backlog < 1) {
      throw new IllegalArgumentException("backlog must be at least 1, got " + backlog);
    }
    this.state = state;
    this.backlog = backlog;
    state.addListener(listener);
  }

  /**
   * GET /events/stream: checks the resume point (Last-Event-ID, else ?after=) and the Accept header
   * while an error can still be answered as problem+json, then opens the stream.
   */
  void open(Context ctx, java.util.function.Predicate<JournalEntry> visible) {
    String last = ctx.header("Last-Event-ID");
    long after = last != null ? ApiServer.longParam("Last-Event-ID", last.strip(), 0) : ApiServer.longParam(ctx, "after", 0);
    if (!"text/event-stream".equals(ctx.header("Accept"))) {
      throw new HttpProblem(406, "not-acceptable", "Not acceptable", "the journal stream is text/event-stream;"
          + " send Accept: text/event-stream (an EventSource does), or GET " + ApiServer.V1 + "/events for JSON");
    }
    ctx.attribute(AFTER, after);
    ctx.attribute(VISIBLE, visible);
    sse.handle(ctx);
  }

  private void attach(SseClient client) {
    client.keepAlive();
    Long after = client.ctx().attribute(AFTER);
    java.util.function.Predicate<JournalEntry> visible = client.ctx().attribute(VISIBLE);
    Subscriber s = new Subscriber(client, after == null ? 0 : after, visible == null ? e -> false : visible);
    // Subscribed before the replay reads the store: an entry committed meanwhile is queued too,
    // and sent once (entries at or below the last seq sent are skipped).
    subscribers.add(s);
    client.onClose(s::hangUp);
    Thread.ofVirtual().name("corral-sse-" + ids.incrementAndGet()).start(s::run);
  }

  /** On the loop, after each commit: offers the entry to every client, never waiting for one. */
  private void broadcast(JournalEntry e) {
    for (Subscriber s : subscribers) {
      if (!s.queue.offer(e)) {
        s.overflow();
      }
    }
  }

  private final class Subscriber {
    final SseClient client;
    final ArrayBlockingQueue<JournalEntry> queue = new ArrayBlockingQueue<>(backlog);
    final long from;
    /** What this client's user may see (docs/users-and-roles.md); others' entries are skipped. */
    final java.util.function.Predicate<JournalEntry> visible;
    volatile boolean overflowed;
    volatile boolean gone;
    long sent;

    Subscriber(SseClient client, long from, java.util.function.Predicate<JournalEntry> visible) {
      this.client = client;
      this.visible = visible;
      this.from = from;
      this.sent = from;
    }

    void overflow() {
      if (!overflowed) {
        overflowed = true;
        subscribers.remove(this);
      }
    }

    void hangUp() {
      gone = true;
      subscribers.remove(this);
    }

    /** The client's own thread: replay, then the queue, until it hangs up or falls behind. */
    void run() {
      try {
        if (from > 0) {
          replay(state.publishedSeq());
        }
        while (!gone) {
          if (overflowed) {
            String message = "this client fell " + backlog + " entries behind the journal and was dropped so that it"
                + " slows no one; resume with Last-Event-ID: " + sent + " (an EventSource does so by itself)";
            LOG.warn("event stream client {} dropped: {} entries behind after seq {}", client.ctx().ip(), backlog, sent);
            client.sendEvent("dropped", ApiJson.write(Map.of("lastSeq", sent, "message", message)), Long.toString(sent));
            break;
          }
          JournalEntry e = queue.poll(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
          if (e == null) {
            client.sendComment("keep-alive");
          } else if (e.seq() > sent) {
            send(e);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        // The client went away mid-write: nothing to tell it.
      } finally {
        hangUp();
        try {
          client.close();
        } catch (RuntimeException ignored) {
          // Already closed.
        }
      }
    }

    /**
     * What the client missed, from the store, up to {@code upTo}: the last entry the published
     * view shows, read after this client subscribed. An entry above it may already be in the store
     * while the view that goes with it is not published yet; judged now, a developer's new VM
     * would not be theirs yet and its entry would be skipped for good (the queue's copy comes
     * later and is not sent twice). It comes through the queue instead, once published.
     */
    private void replay(long upTo) {
      while (!gone && !overflowed && sent < upTo) {
        List<JournalEntry> missed = state.store().journal(sent, REPLAY_PAGE, null);
        for (JournalEntry e : missed) {
          if (e.seq() > upTo) {
            return;
          }
          send(e);
        }
        if (missed.size() < REPLAY_PAGE) {
          return;
        }
      }
    }

    private void send(JournalEntry e) {
      if (visible.test(e)) {
        client.sendEvent("journal", ApiJson.write(e), Long.toString(e.seq()));
      }
      sent = e.seq();
    }
  }

  @Override
  public void close() {
    state.removeListener(listener);
    for (Subscriber s : subscribers) {
      s.hangUp();
      try {
        s.client.close();
      } catch (RuntimeException ignored) {
        // Shutting down.
      }
    }
  }
}
