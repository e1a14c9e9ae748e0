package org.corral.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import org.corral.cli.api.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code corral plan apply ID}: applies exactly the plan {@code corral plan} showed under that id.
 * Refused (exit 4) when the plan has changed since: nothing is applied, and {@code corral plan}
 * shows the new one.
 */
@Command(name = "apply", description = "Apply exactly the plan `corral plan` showed (refused if it has changed since).")
public final class PlanApplyCommand implements Callable<Integer> {
  private final Session session;

  // picocli always sets it: the parameter is required.
  @SuppressWarnings("NullAway.Init")
  @Parameters(paramLabel = "ID", description = "The plan's id, as `corral plan` printed it.")
  String id;

  public PlanApplyCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    JsonNode answer = session.api().post("/plan/apply", Json.object().put("id", id));
    session.report(answer, "plan " + id + " applied: " + answer.path("taken").size() + " actions taken");
    return ExitCode.OK.code();
  }
}
