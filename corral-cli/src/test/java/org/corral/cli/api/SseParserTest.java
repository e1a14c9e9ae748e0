package org.corral.cli.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {
  private final SseParser parser = new SseParser();

  private List<SseEvent> feed(String text) {
    List<SseEvent> events = new ArrayList<>();
    text.lines().forEach(l -> parser.accept(l).ifPresent(events::add));
    // String.lines() drops a final empty line; a stream ends its last event with one.
    parser.accept("").ifPresent(events::add);
    return events;
  }

  @Test
  void readsFieldsCommentsAndMultiLineData() {
    List<SseEvent> events = feed("""
        : hello
        retry: 1000
        event: journal
        id: 7
        data: {"a":
        data:1}

        data: plain

        """);

    assertThat(events).containsExactly(
        new SseEvent("7", "journal", "{\"a\":\n1}"),
        new SseEvent("7", "message", "plain"));
  }

  @Test
  void anEventWithoutDataIsNotDispatched() {
    assertThat(feed("event: journal\nid: 3\n\n")).isEmpty();
  }

  @Test
  void aFieldWithoutColonHasAnEmptyValue() {
    assertThat(feed("data\n\n")).containsExactly(new SseEvent(null, "message", ""));
  }
}
