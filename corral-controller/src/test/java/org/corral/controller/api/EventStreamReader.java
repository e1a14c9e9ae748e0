package org.corral.controller.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * A real server-sent-events client: one HTTP GET whose body is read line by line on its own
 * thread, parsed into events (blocks of "field: value" lines ended by a blank line).
 */
final class EventStreamReader implements AutoCloseable {
  /** One event: its name, its id and its data parsed as JSON. */
  record Event(String name, long id, JsonNode data) {}

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<String> lines = new CopyOnWriteArrayList<>();
  /** The id of the last complete event (its blank line read), for {@link #lastId()}. */
  private volatile long lastId = -1;
  /** The reader thread's: the id of the event being read. */
  private long pendingId = -1;
  private final CompletableFuture<HttpResponse<Stream<String>>> response;
  private final Thread reader;

  /** Connects to {@code uri}, resuming after {@code lastEventId} when it is not null. */
  EventStreamReader(URI uri, String lastEventId) {
    this(uri, lastEventId, TestTokens.forPort(uri.getPort()));
  }

  /** With {@code token} (null: none) instead of the one registered for the port. */
  EventStreamReader(URI uri, String lastEventId, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (lastEventId != null) {
      b.header("Last-Event-ID", lastEventId);
    }
    response = http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofLines());
    reader = Thread.ofVirtual().name("sse-reader").start(() -> {
      try (Stream<String> s = response.join().body()) {
        s.forEach(this::add);
      } catch (RuntimeException closed) {
        // close() cut the connection: the stream ends with an error, which is expected here.
      }
    });
  }

  /** Status and content type, once the response headers have come. */
  HttpResponse<Stream<String>> response() {
    return response.join();
  }

  /** Every complete event received so far, in order. */
  List<Event> events() {
    List<Event> out = new ArrayList<>();
    String name = "message";
    long id = -1;
    StringBuilder data = new StringBuilder();
    for (String line : List.copyOf(lines)) {
      if (line.isEmpty()) {
        if (!data.isEmpty()) {
          out.add(new Event(name, id, parse(data.toString())));
        }
        name = "message";
        id = -1;
        data.setLength(0);
      } else if (line.startsWith("event:")) {
        name = line.substring(6).trim();
      } else if (line.startsWith("id:")) {
        id = Long.parseLong(line.substring(3).trim());
      } else if (line.startsWith("data:")) {
        data.append(line.substring(5).trim());
      }
    }
    return out;
  }

  /** On the reader thread: keeps the line, then notes the id of an event its blank line ends. */
  private void add(String line) {
    lines.add(line);
    if (line.startsWith("id:")) {
      pendingId = Long.parseLong(line.substring(3).trim());
    } else if (line.isEmpty()) {
      if (pendingId >= 0) {
        lastId = pendingId;
      }
      pendingId = -1;
    }
  }

  /**
   * The id of the last complete event received so far, -1 before the first: cheap enough to poll.
   * Complete: Javalin writes an event's id line first and its blank line last, and the lines come
   * one at a time, so a test that saw the id and then counted {@link #events()} could miss it.
   */
  long lastId() {
    return lastId;
  }

  List<Long> ids() {
    return events().stream().map(Event::id).toList();
  }

  private static JsonNode parse(String s) {
    try {
      return ApiClient.JSON.readTree(s);
    } catch (IOException e) {
      throw new UncheckedIOException("event data is not JSON: " + s, e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    http.shutdownNow();
    reader.join(Duration.ofSeconds(5));
  }
}
