package org.corral.controller.api;

import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.corral.controller.state.ControllerState;
import org.corral.model.journal.JournalEntry;

/**
 * The journal as server-sent events. A new client first gets what it missed (after its
 * Last-Event-ID or ?after=), then every new entry. Sending happens on a separate thread so that a
 * slow client never stalls the controller's loop.
 */
final class EventStream implements AutoCloseable {
  private final ControllerState state;
  // Each client with the seq of the last entry it was sent: an entry committed while a client's
  // replay was reading the store comes both in the replay and as a broadcast, and is sent once.
  private final Map<SseClient, Long> clients = new ConcurrentHashMap<>();
  private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "corral-sse");
    t.setDaemon(true);
    return t;
  });
  private final Consumer<JournalEntry> listener = this::broadcast;
  private static final String AFTER = "corral.after";
  private final SseHandler sse = new SseHandler(this::attach);

  EventStream(ControllerState state) {
    this.state = state;
    state.addListener(listener);
  }

  /**
   * GET /events/stream: checks the resume point (Last-Event-ID, else ?after=) and the Accept header
   * while an error can still be answered as problem+json, then opens the stream.
   */
  void open(Context ctx) {
    String last = ctx.header("Last-Event-ID");
    long after = last != null ? ApiServer.longParam("Last-Event-ID", last.strip(), 0) : ApiServer.longParam(ctx, "after", 0);
    if (!"text/event-stream".equals(ctx.header("Accept"))) {
      throw new HttpProblem(406, "not-acceptable", "Not acceptable", "the journal stream is text/event-stream;"
          + " send Accept: text/event-stream (an EventSource does), or GET " + ApiServer.V1 + "/events for JSON");
    }
    ctx.attribute(AFTER, after);
    sse.handle(ctx);
  }

  private void attach(SseClient client) {
    client.keepAlive();
    Long after = client.ctx().attribute(AFTER);
    long from = after == null ? 0 : after;
    sender.execute(() -> {
      long seq = from;
      if (from > 0) {
        while (true) {
          List<JournalEntry> missed = state.store().journal(seq, 1000, null);
          for (JournalEntry e : missed) {
            send(client, e);
            seq = e.seq();
          }
          if (missed.size() < 1000) {
            break;
          }
        }
      }
      if (!client.terminated()) {
        clients.put(client, seq); // a client gone during its replay is not kept
      }
    });
    client.onClose(() -> clients.remove(client));
  }

  private void broadcast(JournalEntry e) {
    sender.execute(() -> {
      for (Map.Entry<SseClient, Long> c : clients.entrySet()) {
        if (e.seq() > c.getValue()) {
          send(c.getKey(), e);
          c.setValue(e.seq());
        }
      }
    });
  }

  private void send(SseClient c, JournalEntry e) {
    try {
      c.sendEvent("journal", ApiJson.write(e), Long.toString(e.seq()));
    } catch (RuntimeException ex) {
      clients.remove(c);
    }
  }

  @Override
  public void close() {
    state.removeListener(listener);
    for (SseClient c : clients.keySet()) {
      try {
        c.close();
      } catch (RuntimeException ignored) {
        // Shutting down.
      }
    }
    sender.shutdownNow();
  }
}
