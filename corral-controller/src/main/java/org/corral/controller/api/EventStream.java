package org.corral.controller.api;

import io.javalin.http.sse.SseClient;
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

  EventStream(ControllerState state) {
    this.state = state;
    state.addListener(listener);
  }

  void attach(SseClient client) {
    client.keepAlive();
    long after = 0;
    String last = client.ctx().header("Last-Event-ID");
    String q = client.ctx().queryParam("after");
    try {
      if (last != null) {
        after = Long.parseLong(last.trim());
      } else if (q != null) {
        after = Long.parseLong(q.trim());
      }
    } catch (NumberFormatException ignored) {
      // A malformed resume point replays nothing rather than failing the stream.
    }
    long from = after;
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
