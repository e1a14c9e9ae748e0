package org.corral.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.Callable;
import org.corral.cli.render.Nodes;
import org.corral.cli.render.Table;
import picocli.CommandLine.Command;

/**
 * {@code corral plan}: recommend mode. Every deciding loop runs its real decision on one snapshot
 * against a recording planner; the actions it would take are shown with their reasons, and
 * nothing is applied.
 */
@Command(name = "plan", description = "Show what Corral would do now and why (every loop's plan), applying nothing.")
public final class PlanCommand implements Callable<Integer> {
  private final Session session;

  public PlanCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    JsonNode rec = session.api().get("/plan", Map.of());
    session.show(rec, () -> {
      StringBuilder out = new StringBuilder("plan " + Nodes.text(rec, "id") + " at " + session.time(Nodes.text(rec, "at"))
          + " (apply exactly this with `corral plan apply " + Nodes.text(rec, "id") + "`)\n");
      if (!rec.path("current").asBoolean(true)) {
        out.append("note: the controller was too busy to plan again within a second: this is its last plan, made at ")
            .append(session.time(Nodes.text(rec, "at"))).append("; ask again for a current one\n");
      }
      for (JsonNode p : rec.path("plans")) {
        JsonNode actions = p.path("actions");
        out.append('\n').append(Nodes.text(p, "origin")).append(": ")
            .append(actions.isEmpty() ? "nothing to do" : actions.size() + (actions.size() == 1 ? " action" : " actions"))
            .append('\n');
        if (!actions.isEmpty()) {
          Table t = Table.of("KEY", "ACTION", "WHY");
          for (JsonNode a : actions) {
            t.row(Nodes.text(a, "key"), Nodes.text(a, "action"), Nodes.text(a, "cause", "reason"));
          }
          out.append(t.render());
        }
        for (JsonNode note : p.path("notes")) {
          out.append("  note: ").append(note.asText()).append('\n');
        }
      }
      return out.toString();
    });
    return ExitCode.OK.code();
  }
}
