package org.corral.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.corral.cli.api.Json;
import org.corral.cli.api.SseEvent;
import org.corral.cli.api.SseParser;
import org.corral.cli.api.UnreachableException;
import org.corral.cli.convert.NonNegativeInt;
import org.corral.cli.convert.NonNegativeLong;
import org.corral.cli.render.FixedColumns;
import org.corral.cli.render.Nodes;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code corral events}: the journal, as a page or ({@code --follow}) live from the event stream. */
@Command(name = "events", description = "Show the journal: every state change and action, with who caused it and why.")
public final class EventsCommand implements Callable<Integer> {
  private static final String JOURNAL_EVENT = "journal";
  /** Entries shown without --after or --limit: the newest ones. */
  static final int DEFAULT_LAST = 100;

  private final Session session;

  @Spec
  CommandSpec spec;

  @Option(names = "--follow", description = "Keep printing new entries as they happen, until interrupted (Ctrl-C).")
  boolean follow;

  @Option(names = "--subject", paramLabel = "NAME", description = "Only entries about this host, VM, network or image.")
  @Nullable String subject;

  @Option(names = "--after", paramLabel = "SEQ", converter = NonNegativeLong.class, description = "Entries after this sequence number, oldest first (default: the newest ones).")
  @Nullable Long after;

  @Option(names = "--limit", paramLabel = "N", converter = NonNegativeInt.class, description = "At most N entries (not with --follow); without --after, the newest N (default 100).")
  @Nullable Integer limit;

  public EventsCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    if (follow && limit != null) {
      throw new ParameterException(spec.commandLine(), "--limit cannot be used with --follow, which prints every new entry");
    }
    return follow ? follow() : page();
  }

  private int page() {
    Map<String, String> query = new LinkedHashMap<>();
    if (after == null) {
      // The newest entries, like `journalctl -n`: one page however long the journal is.
      query.put("last", Integer.toString(limit == null ? DEFAULT_LAST : limit));
    } else {
      query.put("after", after.toString());
      query.put("limit", limit == null ? null : limit.toString());
    }
    query.put("subject", subject);
    JsonNode entries = session.api().get("/events", query);
    session.show(entries, () -> EventViews.table(entries, session));
    return ExitCode.OK.code();
  }

  /**
   * Prints each journal entry as it arrives: a table row, or in JSON mode one compact object per
   * line (so that {@code jq} can read the stream). Returns when the server ends the stream.
   */
  private int follow() {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("after", after == null ? null : after.toString());
    FixedColumns columns = EventViews.streaming();
    SseParser parser = new SseParser();
    try (Stream<String> lines = session.api().streamLines("/events/stream", query)) {
      if (!session.json()) {
        session.print(columns.header());
      }
      Iterator<String> it = lines.iterator();
      while (it.hasNext()) {
        parser.accept(it.next()).ifPresent(event -> show(event, columns));
      }
    } catch (UncheckedIOException broken) {
      // The connection dropped mid-stream (Corral died or the network went): as unreachable.
      throw new UnreachableException(session.api().root(), broken);
    }
    session.err().println("the event stream was closed by Corral");
    return ExitCode.OK.code();
  }

  private void show(SseEvent event, FixedColumns columns) {
    if (!JOURNAL_EVENT.equals(event.event())) {
      return;
    }
    JsonNode entry = Json.parse(event.data(), "event " + event.id() + " of the stream");
    // The stream carries every entry; --subject is applied here.
    if (subject != null && !subject.equals(Nodes.text(entry, "subject"))) {
      return;
    }
    if (session.json()) {
      session.out().println(Json.compact(entry));
      session.out().flush();
    } else {
      session.print(columns.row(EventViews.cells(entry, session)));
    }
  }
}
