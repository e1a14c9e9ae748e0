package org.corral.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.corral.cli.render.Nodes;
import org.corral.cli.render.Table;
import org.corral.model.plan.ActionStatus;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code corral actions}: the executor's ledger of actions (start, migrate, power-off, ...). */
@Command(name = "actions", description = "List the executor's actions: what it is doing, did, or gave up on.")
public final class ActionsCommand implements Callable<Integer> {
  private final Session session;

  @Option(names = "--status", paramLabel = "STATUS", description = "Only actions in this status: ${COMPLETION-CANDIDATES}.")
  @Nullable ActionStatus status;

  public ActionsCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("status", status == null ? null : status.name());
    JsonNode actions = session.api().get("/actions", query);
    if (session.json()) {
      session.printJson(actions);
      return ExitCode.OK.code();
    }
    Table t = Table.of("KEY", "VERB", "SUBJECT", "STATUS", "ATTEMPTS", "UPDATED", "ORIGIN", "ERROR");
    for (JsonNode a : actions) {
      t.row(Nodes.text(a, "key"), Nodes.text(a, "verb"), Nodes.text(a, "subject"), Nodes.text(a, "status"),
          Nodes.whole(a, "attempts"), session.time(Nodes.text(a, "updated")), Nodes.text(a, "cause", "origin"),
          Nodes.text(a, "error"));
    }
    session.print(t.render());
    return ExitCode.OK.code();
  }
}
