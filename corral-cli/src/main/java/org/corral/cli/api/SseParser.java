package org.corral.cli.api;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads the text/event-stream format one line at a time (the WHATWG rules that Corral's stream
 * uses: {@code field: value} lines, {@code :} comments for keep-alives, a blank line ends an
 * event). Not thread-safe: one parser per stream.
 */
public final class SseParser {
  private final StringBuilder data = new StringBuilder();
  private @Nullable String event;
  private @Nullable String id;
  private boolean hasData;

  /** Feeds one line (without its line ending); returns the event a blank line completes. */
  public Optional<SseEvent> accept(String line) {
    if (line.isEmpty()) {
      return dispatch();
    }
    if (line.startsWith(":")) {
      return Optional.empty();
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "data" -> {
        if (hasData) {
          data.append('\n');
        }
        data.append(value);
        hasData = true;
      }
      case "event" -> event = value;
      case "id" -> id = value;
      default -> {
        // "retry" and unknown fields do not concern a command-line reader.
      }
    }
    return Optional.empty();
  }

  private Optional<SseEvent> dispatch() {
    Optional<SseEvent> done = hasData
        ? Optional.of(new SseEvent(id, event == null ? "message" : event, data.toString()))
        : Optional.empty();
    data.setLength(0);
    hasData = false;
    event = null;
    // The id persists across events, as the last event id does in the spec.
    return done;
  }
}
