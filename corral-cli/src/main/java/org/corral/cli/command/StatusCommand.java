package org.corral.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.corral.cli.render.Details;
import org.corral.cli.render.Nodes;
import picocli.CommandLine.Command;

/** {@code corral status}: is Corral up, where is its store, how many hosts and VMs in which state. */
@Command(name = "status", description = "Show whether Corral is up, its version and store, and hosts/VMs counted by state.")
public final class StatusCommand implements Callable<Integer> {
  private final Session session;

  public StatusCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    JsonNode health = session.api().get("/health");
    if (session.json()) {
      session.printJson(health);
      return ExitCode.OK.code();
    }
    session.print(new Details()
        .add("Corral", Nodes.text(health, "status") + " at " + session.api().root())
        .add("Version", Nodes.text(health, "version"))
        .add("Started", session.time(Nodes.text(health, "startedAt")))
        .add("Store", Nodes.text(health, "store"))
        .add("Hosts", counted(health.path("hostsByState")))
        .add("VMs", counted(health.path("vmsByState")))
        .render());
    return ExitCode.OK.code();
  }

  /**
   * "3 (MAINTENANCE 1, UP 2)": the total, then per state in name order, from the counts the
   * health answer carries (no page of the VMs is read, however many there are).
   */
  private static String counted(JsonNode counts) {
    Map<String, Integer> byState = new TreeMap<>();
    counts.fields().forEachRemaining(e -> byState.put(e.getKey(), e.getValue().asInt()));
    StringJoiner j = new StringJoiner(", ", " (", ")").setEmptyValue("");
    byState.forEach((state, n) -> j.add(state + " " + n));
    return byState.values().stream().mapToInt(Integer::intValue).sum() + j.toString();
  }
}
