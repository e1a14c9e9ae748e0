package org.corral.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import org.corral.cli.render.FixedColumns;
import org.corral.cli.render.Nodes;
import org.corral.cli.render.Table;
import org.jspecify.annotations.Nullable;

/** How journal entries look in table mode, as a whole table or one streamed row at a time. */
final class EventViews {
  private static final String[] HEADERS = {"SEQ", "TIME", "KIND", "SUBJECT", "FROM->TO", "ORIGIN", "REASON/MESSAGE"};
  /** Widths for --follow, where rows come before their widest cell is known. */
  private static final int[] FOLLOW_WIDTHS = {6, 19, 16, 16, 24, 10, 0};

  private EventViews() {}

  static String table(JsonNode entries, Session s) {
    Table t = Table.of(HEADERS);
    for (JsonNode e : entries) {
      t.row(cells(e, s));
    }
    return t.render();
  }

  static FixedColumns streaming() {
    return new FixedColumns(List.of(HEADERS), FOLLOW_WIDTHS);
  }

  static Object[] cells(JsonNode e, Session s) {
    return new Object[] {
        Nodes.whole(e, "seq"),
        s.time(Nodes.text(e, "at")),
        Nodes.text(e, "kind"),
        subject(e),
        transition(e),
        Nodes.text(e, "cause", "origin"),
        reasonAndMessage(e)};
  }

  /** "vm/web1", or just the name when the kind is absent. */
  private static @Nullable String subject(JsonNode e) {
    String kind = Nodes.text(e, "subjectKind");
    String name = Nodes.text(e, "subject");
    if (kind == null) {
      return name;
    }
    return kind.toLowerCase(Locale.ROOT) + "/" + (name == null ? "-" : name);
  }

  private static @Nullable String transition(JsonNode e) {
    String from = Nodes.text(e, "from");
    String to = Nodes.text(e, "to");
    if (from == null && to == null) {
      return null;
    }
    return (from == null ? "-" : from) + "->" + (to == null ? "-" : to);
  }

  private static String reasonAndMessage(JsonNode e) {
    StringJoiner j = new StringJoiner(": ").setEmptyValue("");
    String reason = Nodes.text(e, "cause", "reason");
    String message = Nodes.text(e, "message");
    if (reason != null && !reason.isBlank()) {
      j.add(reason);
    }
    if (message != null && !message.isBlank()) {
      j.add(message);
    }
    return j.toString();
  }
}
